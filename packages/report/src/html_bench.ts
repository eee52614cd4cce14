import type { BenchGrid, BenchTable } from './bench_table.js';
import { html, type SafeHtml } from './view/html.js';

/** One grid (headline ratios or measurements) as a table; numbers right-aligned, their range under them. */
export function benchGridHtml(grid: BenchGrid, id: string, caption?: string): SafeHtml {
  return html`<div class="table-wrap"><table class="data bench" id="${id}">${caption ? html`<caption>${caption}</caption>` : ''}<thead><tr>${grid.columns.map(
    (c, i) => html`<th class="${grid.rows.some((r) => r[i]?.numeric) ? 'num' : ''}" data-key="${c.key}">${c.label}</th>`,
  )}</tr></thead><tbody>
${grid.rows.map((r) => html`<tr>${r.map((c) => html`<td class="${c.numeric ? 'num' : ''}">${c.text}${c.sub ? html`<span class="s">${c.sub}</span>` : ''}</td>`)}</tr>\n`)}</tbody></table></div>`;
}

function benchFileHtml(b: BenchTable, i: number): SafeHtml {
  return html`<div class="bench-file" data-file="${b.file}">
<h4>${b.title} <span class="meta mono">${b.file}</span></h4>
${b.headline ? benchGridHtml(b.headline, `bench-${i}-headline`, 'Headline ratios (as the benchmark summarised them; below 1× is faster / smaller than the reference)') : ''}
${benchGridHtml(b.table, `bench-${i}`)}
${
  b.notes.length || b.meta.length
    ? html`<details class="bench-meta"><summary>How it was measured, machine and versions</summary>
${b.notes.map((n) => html`<p class="caption"><b>${n.label}.</b> ${n.text}</p>`)}
<dl class="meta-list">${b.meta.map((m) => html`<dt>${m.label}</dt><dd>${m.value}</dd>`)}</dl></details>`
    : ''
}
</div>`;
}

/** The "Operator benchmarks" section: ratios first, labelled columns, metadata folded. */
export function benchHtml(bench: readonly (BenchTable | { file: string; error: string })[]): SafeHtml {
  if (bench.length === 0) return html`<p class="caption">No benchmark files were given (<code>pnpm bench ops</code> writes them; pass them as <code>benchFiles</code>).</p>`;
  return html`${bench.map((b, i) => ('error' in b ? html`<p class="caption status-text">${b.error}</p>` : benchFileHtml(b, i)))}
<p class="caption">Timings: the median the benchmark reported, with the [min–max] of its samples beneath. Memory in binary units (KiB, MiB, GiB).</p>`;
}
