import { COST_FIELDS, type CostRow } from './costs_table.js';
import { cellStatusLines, cellStatusText, fmt, fmtBytes, fmtSigned, fmtSpread, seedCoverage, typeset } from './format.js';
import { fmtScalar, type GenericTable } from './generic_table.js';
import { esc, scriptSafe } from './html_escape.js';
import { table1Html } from './html_table1.js';
import { vsPytorchHtml } from './html_vs_pytorch.js';
import { benchHtml } from './html_bench.js';
import type { MetricTable } from './metric_table.js';
import type { ReportModel } from './report_model.js';
import { SAMPLE_SELECTION_RULE } from './sample_selection.js';
import type { SeedStats } from './seed_stats.js';
import type { VariantCell } from './variant_cell.js';
import type { VegaAssets } from './vega_assets.js';

/**
 * The report as ONE self-contained HTML file: styles, the vega bundles and the chart data are inlined
 * and images are data: URIs, so it opens offline and can go into a paper's supplement as is.
 */

export const REPORT_STYLE = `
:root { --ink: #1d1d1f; --muted: #6b6b70; --rule: #d8d8dc; --paper-bg: #f7f3e8; --paper-ink: #5a4a1e;
  --switch: #0b5d9e; --ratio: #c4421a; --bad: #b3261e; --warn: #8a5a00; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 15px/1.55 Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, "Liberation Serif", "DejaVu Serif", serif; }
main { max-width: 1480px; margin: 0 auto; padding: 36px 40px 64px; }
.prose { max-width: 860px; }
h1 { font-size: 27px; line-height: 1.25; margin: 4px 0 10px; font-weight: 600; }
h2 { font-size: 20px; margin: 44px 0 8px; padding-top: 14px; border-top: 1px solid var(--rule); font-weight: 600; }
h3 { font-size: 16px; margin: 26px 0 6px; font-weight: 600; }
p { margin: 6px 0 10px; }
code, .mono { font-family: "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; font-size: 0.84em; }
.kicker { text-transform: uppercase; letter-spacing: 0.08em; font-size: 12px; color: var(--muted); margin: 0; }
.meta { color: var(--muted); font-size: 14px; }
.caption { font-size: 13.5px; color: #333; max-width: 980px; }
.caption b { font-weight: 600; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; margin: 10px 0 0; padding: 0; list-style: none; }
.chip { font-size: 12.5px; padding: 1px 9px; border-radius: 10px; border: 1px solid var(--rule); }
.chip.completed { border-color: #9cc59c; background: #f1f8f1; }
.chip.bad { border-color: #e2a39e; background: #fcf1f0; color: var(--bad); }
.chip.warn { border-color: #e3c58a; background: #fdf7ea; color: var(--warn); }
.warnings { margin: 14px 0 0; padding: 10px 14px 10px 30px; background: #fdf7ea; border-left: 3px solid #e0b653; font-size: 13.5px; max-width: 1100px; }
.warnings li { margin: 2px 0; }
nav.toc { font-size: 14px; margin: 18px 0 0; color: var(--muted); }
nav.toc a { color: inherit; margin-right: 14px; text-decoration: none; border-bottom: 1px dotted #aaa; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums lining-nums; }
.table-wrap { overflow-x: auto; margin: 10px 0 6px; }
table.data { font-size: 13px; margin: 8px 0; }
table.data th, table.data td { padding: 3px 10px; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
table.data thead th { border-bottom: 1.5px solid var(--ink); font-weight: 600; white-space: nowrap; }
table.data thead tr.super th { border-bottom: 1px solid var(--rule); text-align: center; font-weight: 600; }
table.data td.num, table.data th.num { text-align: right; white-space: nowrap; }
table.data tbody tr:last-child td, table.data tbody tr:last-child th { border-bottom: 1.5px solid var(--ink); }
table.data td .s { display: block; font-size: 11px; color: var(--muted); }
table.data td.best .m { font-weight: 700; }
/* Table 1 */
table.t1 { font-size: 12px; border-top: 1.5px solid var(--ink); border-bottom: 1.5px solid var(--ink); }
table.t1 th, table.t1 td { padding: 2px 4px; }
table.t1 thead th { font-weight: 600; text-align: center; white-space: nowrap; }
table.t1 thead th.band { font-size: 12.5px; padding-top: 5px; }
table.t1 thead th.group { font-weight: normal; font-style: italic; border-bottom: 1px solid var(--rule); }
table.t1 thead tr:last-child th { border-bottom: 1px solid var(--ink); font-weight: normal; }
table.t1 th.rowhead { text-align: left; vertical-align: bottom; border-bottom: 1px solid var(--ink); }
table.t1 tbody th { text-align: left; font-weight: normal; white-space: nowrap; padding-right: 10px; }
table.t1 td.num { text-align: right; white-space: nowrap; vertical-align: top; min-width: 42px; }
table.t1 td .m { display: block; }
table.t1 td .s { display: block; font-size: 10px; line-height: 1.15; color: var(--muted); }
table.t1 td .s.warn, table.data td .s.warn { color: var(--warn); }
table.t1 td.best .m, table.t1 td.best.paper { font-weight: 700; }
table.t1 td.delta { color: #1f5f2a; }
table.t1 td.delta.neg { color: var(--bad); }
table.t1 .sep { border-left: 1px solid var(--rule); }
table.t1 .band.sep { border-left: 1px solid var(--rule); }
table.t1 .paper { background: var(--paper-bg); color: var(--paper-ink); }
table.t1 td.delta.paper { color: #4f6b2a; }
table.t1 td.delta.paper.neg { color: var(--bad); }
table.t1 thead th.paper.band { border-left: 3px double #c9b98a; }
table.t1 tbody tr.row-class:nth-child(even) td:not(.paper), table.t1 tbody tr.row-class:nth-child(even) th { background: #fafafa; }
table.t1 tr.row-void th, table.t1 tr.row-void td { border-top: 1px solid var(--rule); }
table.t1 tr.row-average th, table.t1 tr.row-average td { border-top: 1px solid var(--ink); }
table.t1 tr.row-average th { font-weight: 600; }
table.t1 tr.row-miou19 th, table.t1 tr.row-miou19 td { font-style: italic; }
td.status { font-style: italic; font-size: 11px; color: var(--bad); text-align: center !important; }
td.status .s { color: var(--bad) !important; opacity: 0.8; }
td.status-running, td.status-incomplete { color: var(--warn); }
td.undef { color: var(--muted); text-align: center !important; }
.headline td, .headline th { font-size: 13.5px; }
.headline .claimed { background: var(--paper-bg); color: var(--paper-ink); }
.figures { display: flex; flex-wrap: wrap; gap: 22px 36px; align-items: flex-start; }
figure { margin: 12px 0; }
figure.chart { flex: 0 1 auto; }
figure figcaption { font-size: 13px; color: #333; max-width: 600px; margin-top: 4px; }
figure figcaption b { font-weight: 600; }
.vega-embed { display: block; }
.vega-embed summary { display: none; }
.qual { display: grid; gap: 4px 8px; align-items: start; margin: 8px 0 4px; }
.qual .head { font-size: 12px; color: var(--muted); text-align: center; }
.qual .rowlabel { font-size: 12px; line-height: 1.35; padding-right: 6px; }
.qual .rowlabel b { font-weight: 600; }
.qual img { width: 100%; height: auto; image-rendering: pixelated; display: block; border: 1px solid #ddd; }
.qual .noimg { font-size: 11px; color: var(--bad); border: 1px dashed #e2a39e; padding: 8px; text-align: center; }
.gain-pos { color: #1f5f2a; } .gain-neg { color: var(--bad); }
.status-chip { font-size: 11.5px; padding: 0 6px; border-radius: 8px; white-space: nowrap; }
.status-chip.completed { background: #eaf5ea; color: #245c24; }
.status-chip.failed, .status-chip.diverged, .status-chip.missing { background: #fbeceb; color: var(--bad); }
.status-chip.running, .status-chip.incomplete, .status-chip.shadowed, .status-chip.not-in-grid { background: #fdf4e1; color: var(--warn); }
tr.problems td { color: var(--bad); font-size: 12px; border-bottom: 1px solid #eee; padding-top: 0; }
tr.problems td ul { margin: 0; padding-left: 18px; }
.two-col { display: flex; flex-wrap: wrap; gap: 10px 40px; align-items: flex-start; }
dl.meta-list { display: grid; grid-template-columns: max-content auto; gap: 0 14px; font-size: 12.5px; margin: 6px 0; }
dl.meta-list dt { color: var(--muted); } dl.meta-list dd { margin: 0; }
details { font-size: 13.5px; margin: 8px 0; max-width: 980px; }
details summary { cursor: pointer; color: var(--muted); }
footer { margin-top: 48px; padding-top: 12px; border-top: 1px solid var(--rule); font-size: 12.5px; color: var(--muted); }
@media print { main { max-width: none; padding: 0; } h2 { break-before: auto; } .table-wrap { overflow: visible; } }
`;

function statsText(s: SeedStats | null, format: (x: number) => string = (x) => fmt(x), showSpread = true): string {
  if (!s) return '';
  const spread = !showSpread || s.spread === 'none' ? '' : s.spread === 'range' ? `${format(s.low)}–${format(s.high)}` : `±${format((s.high - s.low) / 2)}`;
  return `<span class="m">${esc(typeset(format(s.mean)))}</span>${spread ? `<span class="s">${esc(typeset(spread))}</span>` : ''}`;
}

function variantCellHtml(cell: VariantCell, bold = false): string {
  if (cell.kind !== 'stats') {
    const cls = cell.kind === 'status' ? `status status-${cell.statuses[0]}` : 'undef';
    const [main, detail] = cellStatusLines(cell);
    return `<td class="num ${cls}"><span class="m">${esc(main)}</span>${detail ? `<span class="s">${esc(detail)}</span>` : ''}</td>`;
  }
  const coverage = seedCoverage(cell);
  return `<td class="num${bold ? ' best' : ''}">${statsText(cell.stats)}${coverage ? `<span class="s warn">${esc(coverage)}</span>` : ''}</td>`;
}

function headlineHtml(model: ReportModel): string {
  if (model.table1.gains.length === 0) return '';
  const rows = model.table1.gains
    .map((g) => {
      const claimed = g.paperSwitch !== null && g.paperRatio !== null ? g.paperRatio - g.paperSwitch : null;
      const ours = (c: VariantCell) => (c.kind === 'stats' ? fmt(c.stats.mean) : cellStatusText(c));
      const d = g.delta;
      const oursDelta =
        d.value === null
          ? '<span class="mono">—</span>'
          : `<b class="${Number(fmt(d.value)) < 0 ? 'gain-neg' : 'gain-pos'}">${typeset(fmtSigned(d.value))}</b>${d.paired && d.paired.spread !== 'none' ? ` <span class="meta">(${esc(typeset(fmtSpread(d.paired)))}, paired over ${d.paired.n} seeds)</span>` : ''}`;
      return (
        `<tr><th>${esc(g.paperLabel)} ↔ ${esc(g.set)}, ${esc(g.pairLabel)}</th>` +
        `<td class="num claimed">${g.paperSwitch === null ? '—' : fmt(g.paperSwitch)} → ${g.paperRatio === null ? '—' : fmt(g.paperRatio)}</td>` +
        `<td class="num claimed"><b>${claimed === null ? '—' : typeset(fmtSigned(claimed))}</b></td>` +
        `<td class="num">${esc(ours(g.switchCell))} → ${esc(ours(g.ratioCell))}</td>` +
        `<td class="num">${oursDelta}</td></tr>`
      );
    })
    .join('\n');
  return `
<table class="data headline" id="headline">
<thead><tr class="super"><th></th><th colspan="2" class="claimed">Claimed (paper)</th><th colspan="2">Reproduced (this report)</th></tr>
<tr><th>Comparison</th><th class="num claimed">switch → ratio</th><th class="num claimed">gain</th><th class="num">switch → ratio</th><th class="num">gain</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<p class="caption">The Average row of Table 1 (mean IoU over 19 classes + Void, in percent), paper vs this reproduction. Reproduced values are means over seeds.</p>`;
}

function chartFigure(id: string, title: string, caption: string): string {
  return `<figure class="chart"><div id="chart-${esc(id)}" class="chart-host" role="img" aria-label="${esc(title)}"></div><figcaption><b>${esc(title)}.</b> ${esc(caption)}</figcaption></figure>`;
}

function qualitativeHtml(model: ReportModel): string {
  if (model.qualitative.length === 0) {
    return '<p class="caption">No qualitative figures: no seed has both a completed switch and a completed ratio run with saved samples (<code>samples/index.json</code>).</p>';
  }
  let n = 0;
  return model.qualitative
    .map((f) => {
      n++;
      const heads = f.rows[0]?.images.map((im) => im.caption) ?? [];
      const cols = `minmax(150px, 190px) repeat(${heads.length}, minmax(120px, 1fr))`;
      const body = f.rows
        .map(({ pick, images }) => {
          const gainCls = pick.gain < 0 ? 'gain-neg' : 'gain-pos';
          const label =
            `<div class="rowlabel"><b>${esc(pick.rules.join(', '))}</b><br>image <span class="mono">${esc(pick.id)}</span><br>` +
            `mIoU ${fmt(pick.switchMiou * 100, 1)} → ${fmt(pick.ratioMiou * 100, 1)} <span class="${gainCls}">(${typeset(fmtSigned(pick.gain * 100, 1))})</span></div>`;
          const imgs = images
            .map((im) => (im.uri ? `<img src="${im.uri}" alt="${esc(`${im.caption}, image ${pick.id}`)}">` : `<div class="noimg">${esc(im.caption)}: file missing</div>`))
            .join('');
          return label + imgs;
        })
        .join('\n');
      return `
<figure class="qualitative" data-set="${esc(f.set)}">
<div class="qual" style="grid-template-columns: ${cols}"><div class="head"></div>${heads.map((h) => `<div class="head">${esc(h)}</div>`).join('')}
${body}
</div>
<figcaption><b>Fig. Q${n}. ${esc(f.pairLabel)} on ${esc(f.setLabel)}, seed ${f.seed}</b> (${esc(f.switchVariant)} vs ${esc(f.ratioVariant)}; chosen from ${f.candidates} candidate image${f.candidates === 1 ? '' : 's'}). mIoU per image in percent, ratio − switch in parentheses.</figcaption>
</figure>`;
    })
    .join('\n');
}

function costValue(row: CostRow, key: (typeof COST_FIELDS)[number]): string {
  const s = row.values[key.key];
  if (!s) return '<td class="num undef">—</td>';
  const format = key.unit === 'bytes' ? (x: number) => fmtBytes(Math.round(x)) : key.unit === 'count' ? (x: number) => Math.round(x).toLocaleString('en-US') : (x: number) => fmt(x, x >= 100 ? 0 : 1);
  // Parameter counts and byte sizes do not vary with the seed; a "±0" under them would be noise.
  return `<td class="num">${statsText(s, format, key.unit === 'ms')}</td>`;
}

function costsHtml(model: ReportModel): string {
  if (model.costs.length === 0) return '<p class="caption">No completed run has recorded costs yet.</p>';
  const head = COST_FIELDS.map((f) => `<th class="num">${esc(f.label)}</th>`).join('');
  const rows = model.costs
    .map((r) => {
      const cells = COST_FIELDS.map((f) => {
        if (f.key === 'inferenceMcMsPerImage' && r.mcSamples === null) return '<td class="num undef">—</td>';
        return costValue(r, f);
      }).join('');
      return `<tr><th>${esc(r.variant)}</th><td>${esc(r.backend)}</td><td class="num">${r.runs}</td><td class="num">${r.batchSize ?? ''}</td><td class="num">${r.mcSamples ?? ''}</td>${cells}</tr>`;
    })
    .join('\n');
  return `<div class="table-wrap"><table class="data" id="costs-table"><thead><tr><th>variant</th><th>backend</th><th class="num">runs</th><th class="num">batch</th><th class="num">MC samples</th>${head}</tr></thead><tbody>
${rows}
</tbody></table></div>
<p class="caption">From <code>result.json</code> <code>costs</code> of completed runs, per variant and backend (+ engine where not tfjs; timings of different ones are never averaged together); mean over runs, spread as in Table 1. Unpooling bytes: what the unpooling layers keep per image between encoder and decoder beyond the activations (the switches; ratio and nearest unpooling keep none). Unpooling memory at inference: what an inference-only pass must hold per image from each pooling to its unpooling (switch: the switches; ratio: the pre-pool and pooled tensors, which training keeps for backpropagation anyway; nearest: nothing); — where a run predates the field. MC inference: all MC dropout passes of one image.</p>`;
}

function genericTableHtml(t: GenericTable, id: string): string {
  const head = t.columns.map((c) => `<th>${esc(c)}</th>`).join('');
  const rows = t.rows
    .map((r) => `<tr>${t.columns.map((c) => `<td class="${typeof r[c] === 'number' ? 'num' : ''}">${esc(fmtScalar(r[c]))}</td>`).join('')}</tr>`)
    .join('\n');
  return `<div class="table-wrap"><table class="data" id="${esc(id)}"><thead><tr>${head}</tr></thead><tbody>
${rows}
</tbody></table></div>`;
}

function metricTableHtml(t: MetricTable, id: string): string {
  const per = t.metrics.length;
  const superRow = t.sets.map((s) => `<th colspan="${per}">${esc(s.label)}</th>`).join('');
  const head = t.sets.flatMap(() => t.metrics.map((m) => `<th class="num">${esc(m.label)} (${esc(m.unit)})</th>`)).join('');
  const rows = t.rows
    .map((r, ri) => `<tr><th title="${esc(r.label)}">${esc(r.variant)}</th>${r.cells.map((c, ci) => variantCellHtml(c, t.best[ci] === ri && t.rows.length > 1)).join('')}</tr>`)
    .join('\n');
  return `<div class="table-wrap"><table class="data" id="${esc(id)}"><thead><tr class="super"><th></th>${superRow}</tr><tr><th>variant</th>${head}</tr></thead><tbody>
${rows}
</tbody></table></div>`;
}

function provenanceHtml(model: ReportModel): string {
  const rows = model.provenance
    .map((p) => {
      const commit = p.commit ? `${p.commit.slice(0, 10)}${p.dirty ? ' +dirty' : ''}` : p.dirty ? '(unknown) +dirty' : '';
      const progress = p.step !== null && p.steps !== null ? `${p.step}/${p.steps}` : '';
      const main =
        `<tr data-run="${esc(p.runId)}" data-status="${esc(p.status)}"><td>${esc(p.variant)}</td><td class="num">${p.seed ?? ''}</td>` +
        `<td><span class="status-chip ${esc(p.status.replace(/ /g, '-'))}">${esc(p.status)}</span></td>` +
        `<td class="mono">${esc(p.runId)}</td><td class="mono">${esc(p.configHash)}</td><td class="mono">${esc(commit)}</td>` +
        `<td>${esc(p.backend ?? '')}</td><td>${esc(p.preset ?? '')}</td><td class="mono">${esc((p.createdAt ?? '').replace('T', ' ').slice(0, 16))}</td>` +
        `<td class="mono">${esc((p.finishedAt ?? '').replace('T', ' ').slice(0, 16))}</td><td class="num">${esc(progress)}</td><td class="mono">${esc(p.root ?? '')}</td></tr>`;
      const problems = p.problems.length
        ? `\n<tr class="problems"><td></td><td colspan="11"><ul>${p.problems.map((x) => `<li>${esc(x)}</li>`).join('')}</ul></td></tr>`
        : '';
      return main + problems;
    })
    .join('\n');
  return `<div class="table-wrap"><table class="data" id="provenance-table"><thead><tr><th>variant</th><th class="num">seed</th><th>status</th><th>run id</th><th>config hash</th><th>git commit</th><th>backend</th><th>preset</th><th>started</th><th>finished</th><th class="num">step</th><th>runs root</th></tr></thead><tbody>
${rows}
</tbody></table></div>`;
}

export interface HtmlPageOptions {
  /** The vega bundles to inline; omit only in unit tests of the markup. */
  assets?: VegaAssets;
}

export function reportHtml(model: ReportModel, options: HtmlPageOptions = {}): string {
  const e = model.experiment;
  const counts = model.statusCounts;
  const chipClass = (s: string) => (s === 'completed' ? 'completed' : s === 'running' || s === 'incomplete' ? 'warn' : 'bad');
  const chips = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `<li class="chip ${chipClass(s)}">${n} ${esc(s)}</li>`)
    .join('');
  const seeds = [...new Set(model.provenance.filter((p) => p.status !== 'not in grid' && p.status !== 'shadowed').map((p) => p.seed))];
  const t1Notes = [
    `IoU in percent on the synthetic stand-ins; each cell is the mean over seeds (${seeds.length} seed${seeds.length === 1 ? '' : 's'} per variant in preset <code>${esc(model.preset)}</code>); the small second line is the spread: min–max for two seeds, ± half-width of the 95% confidence interval of the mean (t distribution) for three or more, none for one seed.`,
    '<b>Bold</b>: the better of each switch/ratio pair. Δ = ratio − switch (green if ratio is better); with the same seeds on both sides its spread is that of the per-seed differences.',
    'Per-class rows and the 19-class mIoU ignore void-labelled pixels (Cityscapes convention); Void and the Average row treat void as a 20th class over all pixels, and the Average is the mean of those 20 IoUs, as the paper computes it (so it is not exactly the mean of the rows printed above). "—": IoU undefined (class absent from ground truth and prediction); "missing" / "failed" / "diverged" / "running": no completed run for that variant.',
    `<span class="paper-note">The tinted columns are <b>the paper's own Table 1</b> (real Cityscapes and KITTI, VGG16 SegNet), transcribed for comparison, not reproduced: ${esc(model.paper.groups.map((g) => `${g.label} ↔ our ${e.data.eval[g.evalSetIndex]?.name ?? '?'} ${g.bayesian ? 'Bayesian' : 'SegNet'} pair`).join('; '))}.</span>`,
  ];
  const chartsById = new Map(model.charts.map((c) => [c.id, c]));
  const chartHtml = (id: string) => {
    const c = chartsById.get(id);
    return c ? chartFigure(c.id, c.title, c.caption) : '';
  };
  const classGainCharts = model.charts.filter((c) => c.id.startsWith('class-gain-'));
  const specs = Object.fromEntries(model.charts.map((c) => [`chart-${c.id}`, c.spec]));
  const scripts = (options.assets?.scripts ?? []).map((s) => `<script data-lib="${esc(s.name)}@${esc(s.version)}">${scriptSafe(s.code)}</script>`).join('\n');
  const versions = (options.assets?.scripts ?? []).map((s) => `${s.name} ${s.version}`).join(', ');
  const tolerances = model.boundaryTolerances.length ? model.boundaryTolerances.map((d) => `${d}`).join(', ') : '?';
  const onnx = model.onnx.rows.length
    ? genericTableHtml(model.onnx, 'onnx-table') +
      '<p class="caption">The <code>onnx</code> record of each run\'s <code>result.json</code> (exported model run in onnxruntime-node against the tfjs model), all fields as written.</p>'
    : '<p class="caption">No run has an ONNX cross-check record yet (<code>exp onnx</code> adds one to <code>result.json</code>).</p>';

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="@unpool/report">
<title>${esc(e.name)}: ${esc(e.description)}</title>
<style>${REPORT_STYLE}</style>
${scripts}
</head>
<body>
<main>
<header>
<p class="kicker">Reproduction report · experiment <span class="mono">${esc(e.name)}</span> · preset <span class="mono">${esc(model.preset)}</span></p>
<h1>${esc(e.description)}</h1>
<p class="meta">Generated ${esc(model.generatedAt)} from ${esc(model.runsRoots.join(', '))}. ${model.expectedRuns} runs expected: ${e.variants.length} variants × ${seeds.length} seed${seeds.length === 1 ? '' : 's'}; evaluation sets ${esc(e.data.eval.map((x) => x.label).join(' and '))}.</p>
<ul class="chips">${chips}</ul>
${model.warnings.length ? `<ul class="warnings">${model.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : ''}
<nav class="toc"><a href="#sec-table1">1 Table 1</a><a href="#sec-curves">2 Training curves</a><a href="#sec-qualitative">3 Qualitative</a><a href="#sec-costs">4 Costs</a><a href="#sec-boundary">5 Boundary quality</a><a href="#sec-provenance">6 Provenance</a></nav>
</header>

<section id="sec-summary">
<h2>Claimed vs reproduced gain</h2>
${headlineHtml(model)}
</section>

<section id="sec-table1">
<h2>1. Table 1: per-class IoU</h2>
<p class="caption"><b>Table 1.</b> Per-class IoU of SegNet with switch unpooling (the baseline) and ratio unpooling, standard and Bayesian (MC dropout), with nearest unpooling as a control, per evaluation set; beside them the paper's numbers.</p>
<div class="table-wrap">${table1Html(model.table1)}</div>
${t1Notes.map((n) => `<p class="caption">${n}</p>`).join('\n')}
<p class="caption">Also as <a href="table1.md">table1.md</a> and <a href="table1.csv">table1.csv</a>.</p>
${classGainCharts.length ? `<div class="figures">${classGainCharts.map((c) => chartHtml(c.id)).join('\n')}</div>` : ''}
</section>

<section id="sec-curves">
<h2>2. Training curves</h2>
<div class="figures">
${chartHtml('fig3-validation-miou')}
${chartHtml('training-loss')}
</div>
</section>

<section id="sec-qualitative">
<h2>3. Qualitative results</h2>
<p class="caption prose"><b>Selection rule.</b> ${esc(SAMPLE_SELECTION_RULE)}</p>
${qualitativeHtml(model)}
</section>

<section id="sec-costs">
<h2>4. Costs</h2>
${costsHtml(model)}
${vsPytorchHtml(model.vsPytorch)}
<h3>Operator benchmarks</h3>
${benchHtml(model.bench)}
<h3>ONNX cross-check</h3>
${onnx}
</section>

<section id="sec-boundary">
<h2>5. Boundary quality</h2>
<p class="caption prose">The paper attributes ratio unpooling's gain to sharper object borders. Boundary F-score: precision/recall of predicted class boundaries matched to ground-truth boundaries within ${esc(tolerances)} px; trimap IoU: IoU restricted to a band around ground-truth boundaries. Percent, mean over seeds (spread as in Table 1); best per column in bold.</p>
<div class="two-col">
${metricTableHtml(model.boundary, 'boundary-table')}
${chartHtml('boundary-fscore')}
</div>
${
  model.uncertainty.rows.length
    ? `<h3>Uncertainty of the Bayesian variants</h3>${metricTableHtml(model.uncertainty, 'uncertainty-table')}<p class="caption">Predictive entropy of the MC-averaged softmax (nats) over all pixels, over correctly and wrongly classified pixels, and the expected calibration error. Best per column in bold (lower entropy on correct pixels, higher on wrong ones).</p>`
    : ''
}
</section>

<section id="sec-provenance">
<h2>6. Provenance</h2>
<p class="caption">Every run the grid of preset <code>${esc(model.preset)}</code> expects, in grid order, with the folder found for it (runs roots searched in the order ${esc(model.runsRoots.join(', '))}); then folders that are not part of this grid and copies shadowed by an earlier root. Runs with problems list them below their row.</p>
${provenanceHtml(model)}
</section>

<details><summary>How the paper's Table 1 was transcribed and read</summary>
<p>${esc(model.paper.source)}. ${esc(model.paper.model)}.</p>
<p>${esc(model.paper.interpretation)}</p>
</details>

<footer>
Rendered by <span class="mono">@unpool/report</span>${versions ? ` with ${esc(versions)} inlined` : ''}; the page needs no network. Charts are also written as SVG files beside this page.
</footer>
</main>
<script>
(function () {
  var specs = ${scriptSafe(JSON.stringify(specs))};
  if (typeof vegaEmbed !== 'function') return;
  Object.keys(specs).forEach(function (id) {
    var el = document.getElementById(id);
    if (!el) return;
    vegaEmbed(el, specs[id], { renderer: 'svg', actions: false, mode: 'vega-lite' }).catch(function (err) {
      el.textContent = 'Chart could not be drawn: ' + err;
      console.error(err);
    });
  });
})();
</script>
</body>
</html>
`;
}
