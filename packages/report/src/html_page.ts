import { reportHead } from './html_style.js';
import { chartFigure, headlineHtml, qualitativeHtml } from './html_figures.js';
import { costsHtml, genericTableHtml, metricTableHtml } from './html_tables.js';
import { provenanceHtml } from './html_provenance.js';
import { longRunHtml, sweepNoteHtml } from './html_notes.js';
import { scriptSafe } from './html_escape.js';
import { EMBED_CHARTS_JS } from './view/embed_charts.js';
import { html, rawHtml } from './view/html.js';
import { table1Html } from './html_table1.js';
import { seedCountText } from './table1.js';
import { vsPytorchHtml } from './html_vs_pytorch.js';
import { benchHtml } from './html_bench.js';
import type { ReportModel } from './report_model.js';
import { SAMPLE_SELECTION_RULE } from './sample_selection.js';
import type { VegaAssets } from './vega_assets.js';

/**
 * The report as ONE self-contained HTML file: styles, the vega bundles and the chart data are inlined
 * and images are data: URIs, so it opens offline and can go into a paper's supplement as is.
 */

export interface HtmlPageOptions {
  /** The vega bundles to inline; omit only in unit tests of the markup. */
  assets?: VegaAssets;
}

export function reportHtml(model: ReportModel, options: HtmlPageOptions = {}): string {
  const e = model.experiment;
  const counts = model.statusCounts;
  const chipClass = (s: string) => (s === 'completed' ? 'completed' : s === 'running' || s === 'interrupted' || s === 'incomplete' ? 'warn' : 'bad');
  const chips = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => html`<li class="chip ${chipClass(s)}">${n} ${s}</li>`);
  const seeds = [...new Set(model.provenance.filter((p) => p.status !== 'not in grid' && p.status !== 'shadowed').map((p) => p.seed))];
  const t1Notes = [
    html`IoU in percent on the synthetic stand-ins; each cell is the mean over seeds (${seeds.length} seed${seeds.length === 1 ? '' : 's'} per variant in preset <code>${model.preset}</code>); the small second line is the spread: min–max for two seeds, ± half-width of the 95% confidence interval of the mean (t distribution) for three or more, none for one seed. <span id="seed-counts">${seedCountText(model.table1)}</span>`,
    html`<b>Bold</b>: the better of each switch/ratio pair. Δ = ratio − switch (green if ratio is better); with the same seeds on both sides its spread is that of the per-seed differences.`,
    html`Per-class rows and the 19-class mIoU ignore void-labelled pixels (Cityscapes convention); Void and the Average row treat void as a 20th class over all pixels, and the Average is the mean of those 20 IoUs, as the paper computes it (so it is not exactly the mean of the rows printed above). "—": IoU undefined (class absent from ground truth and prediction); "missing" / "failed" / "diverged" / "running": no completed run for that variant.`,
    html`<span class="paper-note">The tinted columns are <b>the paper's own Table 1</b> (real Cityscapes and KITTI, VGG16 SegNet), transcribed for comparison, not reproduced: ${(model.paper.groups.map((g) => `${g.label} ↔ our ${e.data.eval[g.evalSetIndex]?.name ?? '?'} ${g.bayesian ? 'Bayesian' : 'SegNet'} pair`).join('; '))}.</span>`,
  ];
  const chartsById = new Map(model.charts.map((c) => [c.id, c]));
  const chartHtml = (id: string) => {
    const c = chartsById.get(id);
    return c ? chartFigure(c.id, c.title, c.caption) : html``;
  };
  const classGainCharts = model.charts.filter((c) => c.id.startsWith('class-gain-'));
  const specs = Object.fromEntries(model.charts.map((c) => [`chart-${c.id}`, c.spec]));
  const scripts = (options.assets?.scripts ?? []).map((s, i) => html`${i ? '\n' : ''}<script data-lib="${s.name}@${s.version}">${rawHtml(scriptSafe(s.code))}</script>`);
  const versions = (options.assets?.scripts ?? []).map((s) => `${s.name} ${s.version}`).join(', ');
  const tolerances = model.boundaryTolerances.length ? model.boundaryTolerances.map((d) => `${d}`).join(', ') : '?';
  const onnx = model.onnx.rows.length
    ? html`${genericTableHtml(model.onnx, 'onnx-table')}<p class="caption">The <code>onnx</code> record of each run's <code>result.json</code> (exported model run in onnxruntime-node against the tfjs model), all fields as written.</p>`
    : html`<p class="caption">No run has an ONNX cross-check record yet (<code>exp onnx</code> adds one to <code>result.json</code>).</p>`;

  return html`<!doctype html>
<html lang="en">
${reportHead(`${e.name}: ${e.description}`, scripts)}
<body>
<main>
<header>
<p class="kicker">Reproduction report · experiment <span class="mono">${(e.name)}</span> · preset <span class="mono">${(model.preset)}</span></p>
<h1>${(e.description)}</h1>
<p class="meta">Generated ${(model.generatedAt)} from ${(model.runsRoots.join(', '))}. ${model.expectedRuns} runs expected: ${e.variants.length} variants × ${seeds.length} seed${seeds.length === 1 ? '' : 's'}; evaluation sets ${(e.data.eval.map((x) => x.label).join(' and '))}.</p>
<ul class="chips">${chips}</ul>
${model.warnings.length ? html`<ul class="warnings">${model.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : ''}
<nav class="toc"><a href="#sec-table1">1 Table 1</a><a href="#sec-curves">2 Training curves</a><a href="#sec-qualitative">3 Qualitative</a><a href="#sec-costs">4 Costs</a><a href="#sec-boundary">5 Boundary quality</a><a href="#sec-provenance">6 Provenance</a></nav>
</header>

<section id="sec-summary">
<h2>Claimed vs reproduced gain</h2>
${headlineHtml(model)}
${sweepNoteHtml(model.sweepNote)}
</section>
${longRunHtml(model.longRun, model.preset)}

<section id="sec-table1">
<h2>1. Table 1: per-class IoU</h2>
<p class="caption"><b>Table 1.</b> Per-class IoU of SegNet with switch unpooling (the baseline) and ratio unpooling, standard and Bayesian (MC dropout), with nearest unpooling as a control, per evaluation set; beside them the paper's numbers.</p>
<div class="table-wrap">${table1Html(model.table1)}</div>
${t1Notes.map((n, i) => html`${i ? '\n' : ''}<p class="caption">${n}</p>`)}
<p class="caption">Also as <a href="table1.md">table1.md</a> and <a href="table1.csv">table1.csv</a>.</p>
${classGainCharts.length ? html`<div class="figures">${classGainCharts.map((c, i) => html`${i ? '\n' : ''}${chartHtml(c.id)}`)}</div>` : ''}
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
<p class="caption prose"><b>Selection rule.</b> ${(SAMPLE_SELECTION_RULE)}</p>
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
<p class="caption prose">The paper attributes ratio unpooling's gain to sharper object borders. Boundary F-score: precision/recall of predicted class boundaries matched to ground-truth boundaries within ${(tolerances)} px; trimap IoU: IoU restricted to a band around ground-truth boundaries. Percent, mean over seeds (spread as in Table 1); best per column in bold.</p>
<div class="two-col">
${metricTableHtml(model.boundary, 'boundary-table')}
${chartHtml('boundary-fscore')}
</div>
${
  model.uncertainty.rows.length
    ? html`<h3>Uncertainty of the Bayesian variants</h3>${metricTableHtml(model.uncertainty, 'uncertainty-table')}<p class="caption">Predictive entropy of the MC-averaged softmax (nats) over all pixels, over correctly and wrongly classified pixels, and the expected calibration error. Best per column in bold (lower entropy on correct pixels, higher on wrong ones).</p>`
    : ''
}
</section>

<section id="sec-provenance">
<h2>6. Provenance</h2>
<p class="caption">Every run the grid of preset <code>${(model.preset)}</code> expects, in grid order, with the folder found for it (runs roots searched in the order ${(model.runsRoots.join(', '))}); then folders that are not part of this grid and copies shadowed by an earlier root. Runs with problems list them below their row.</p>
${provenanceHtml(model)}
</section>

<details><summary>How the paper's Table 1 was transcribed and read</summary>
<p>${(model.paper.source)}. ${(model.paper.model)}.</p>
<p>${(model.paper.interpretation)}</p>
</details>

<footer>
Rendered by <span class="mono">@unpool/report</span>${versions ? ` with ${versions} inlined` : ''}; the page needs no network. Charts are also written as SVG files beside this page.
</footer>
</main>
<script>
(function () {
  ${rawHtml(EMBED_CHARTS_JS)}
  embedCharts(${rawHtml(scriptSafe(JSON.stringify(specs)))});
})();
</script>
</body>
</html>
`.value;
}
