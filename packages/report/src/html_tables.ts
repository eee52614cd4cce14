import { COST_FIELDS, type CostRow } from './costs_table.js';
import { cellStatusLines, fmt, fmtBytes, seedCoverage, typeset } from './format.js';
import { fmtScalar, type GenericTable } from './generic_table.js';
import type { MetricTable } from './metric_table.js';
import type { ReportModel } from './report_model.js';
import type { SeedStats } from './seed_stats.js';
import type { VariantCell } from './variant_cell.js';
import { html, type SafeHtml } from './view/html.js';

/** A mean with its spread on a second line (min–max for two seeds, ± half-width of the CI for more). */
export function statsHtml(s: SeedStats | null, format: (x: number) => string = (x) => fmt(x), showSpread = true): SafeHtml {
  if (!s) return html``;
  const spread = !showSpread || s.spread === 'none' ? '' : s.spread === 'range' ? `${format(s.low)}–${format(s.high)}` : `±${format((s.high - s.low) / 2)}`;
  return html`<span class="m">${typeset(format(s.mean))}</span>${spread ? html`<span class="s">${typeset(spread)}</span>` : ''}`;
}

export function variantCellHtml(cell: VariantCell, bold = false): SafeHtml {
  if (cell.kind !== 'stats') {
    const cls = cell.kind === 'status' ? `status status-${cell.statuses[0]}` : 'undef';
    const [main, detail] = cellStatusLines(cell);
    return html`<td class="num ${cls}"><span class="m">${main}</span>${detail ? html`<span class="s">${detail}</span>` : ''}</td>`;
  }
  const coverage = seedCoverage(cell);
  return html`<td class="num${bold ? ' best' : ''}">${statsHtml(cell.stats)}${coverage ? html`<span class="s warn">${coverage}</span>` : ''}</td>`;
}

function costValue(row: CostRow, key: (typeof COST_FIELDS)[number]): SafeHtml {
  const s = row.values[key.key];
  if (!s) return html`<td class="num undef">—</td>`;
  const format = key.unit === 'bytes' ? (x: number) => fmtBytes(Math.round(x)) : key.unit === 'count' ? (x: number) => Math.round(x).toLocaleString('en-US') : (x: number) => fmt(x, x >= 100 ? 0 : 1);
  // Parameter counts and byte sizes do not vary with the seed; a "±0" under them would be noise.
  return html`<td class="num">${statsHtml(s, format, key.unit === 'ms')}</td>`;
}

export function costsHtml(model: ReportModel): SafeHtml {
  if (model.costs.length === 0) return html`<p class="caption">No completed run has recorded costs yet.</p>`;
  const rows = model.costs.map((r, i) => {
    const cells = COST_FIELDS.map((f) => (f.key === 'inferenceMcMsPerImage' && r.mcSamples === null ? html`<td class="num undef">—</td>` : costValue(r, f)));
    return html`${i ? '\n' : ''}<tr><th>${r.variant}</th><td>${r.backend}</td><td class="num">${r.runs}</td><td class="num">${r.batchSize ?? ''}</td><td class="num">${r.mcSamples ?? ''}</td>${cells}</tr>`;
  });
  return html`<div class="table-wrap"><table class="data" id="costs-table"><thead><tr><th>variant</th><th>backend</th><th class="num">runs</th><th class="num">batch</th><th class="num">MC samples</th>${COST_FIELDS.map(
    (f) => html`<th class="num">${f.label}</th>`,
  )}</tr></thead><tbody>
${rows}
</tbody></table></div>
<p class="caption">From <code>result.json</code> <code>costs</code> of completed runs, per variant and backend (+ engine where not tfjs; timings of different ones are never averaged together); mean over runs, spread as in Table 1. Unpooling bytes: what the unpooling layers keep per image between encoder and decoder beyond the activations (the switches; ratio and nearest unpooling keep none). Unpooling memory at inference: what an inference-only pass must hold per image from each pooling to its unpooling (switch: the switches; ratio: the pre-pool and pooled tensors, which training keeps for backpropagation anyway; nearest: nothing); — where a run predates the field. MC inference: all MC dropout passes of one image.</p>`;
}

export function genericTableHtml(t: GenericTable, id: string): SafeHtml {
  const rows = t.rows.map((r, i) => html`${i ? '\n' : ''}<tr>${t.columns.map((c) => html`<td class="${typeof r[c] === 'number' ? 'num' : ''}">${fmtScalar(r[c])}</td>`)}</tr>`);
  return html`<div class="table-wrap"><table class="data" id="${id}"><thead><tr>${t.columns.map((c) => html`<th>${c}</th>`)}</tr></thead><tbody>
${rows}
</tbody></table></div>`;
}

export function metricTableHtml(t: MetricTable, id: string): SafeHtml {
  const per = t.metrics.length;
  const head = t.sets.flatMap(() => t.metrics.map((m) => html`<th class="num">${m.label} (${m.unit})</th>`));
  const rows = t.rows.map(
    (r, ri) => html`${ri ? '\n' : ''}<tr><th title="${r.label}">${r.variant}</th>${r.cells.map((c, ci) => variantCellHtml(c, t.best[ci] === ri && t.rows.length > 1))}</tr>`,
  );
  return html`<div class="table-wrap"><table class="data" id="${id}"><thead><tr class="super"><th></th>${t.sets.map((s) => html`<th colspan="${per}">${s.label}</th>`)}</tr><tr><th>variant</th>${head}</tr></thead><tbody>
${rows}
</tbody></table></div>`;
}
