import { CLASS_NAMES, flattenRecord, fmt, fmtSigned, html, scriptSafe, type SafeHtml } from '@unpool/report';
import { runCharts } from '../run_charts.js';
import type { RunRow } from '../run_row.js';
import type { RunRecord } from '../run_source.js';
import { page, statusChip } from './layout.js';

export interface Compared {
  run: RunRecord;
  row: RunRow;
}

/** Dotted config keys whose values differ between the runs (a key missing from a run counts as differing). */
export function configDifferences(runs: readonly Compared[]): { key: string; values: string[] }[] {
  const flat = runs.map(({ run, row }) => ({
    ...flattenRecord(run.config?.config ?? {}, 'config'),
    'git commit': row.commit === null ? null : `${row.commit}${row.dirty ? ' +dirty' : ''}`,
    backend: row.backend,
    engine: row.engine,
  }));
  const keys: string[] = [];
  for (const f of flat) for (const k of Object.keys(f)) if (!keys.includes(k)) keys.push(k);
  return keys
    .map((key) => ({ key, values: flat.map((f) => (key in f ? JSON.stringify(f[key as keyof typeof f]) : '(absent)')) }))
    .filter((d) => new Set(d.values).size > 1);
}

/** Final per-class IoU per set (or the latest validation line), keyed by set. */
function classScores(run: RunRecord): Map<string, (number | null)[]> {
  const out = new Map<string, (number | null)[]>();
  for (const l of run.metrics) if (l.type === 'eval') out.set(l.set, [...l.iou, l.miou]);
  if (run.result?.status === 'completed') for (const [set, e] of Object.entries(run.result.evals)) out.set(set, [...e.iou, e.miou]);
  return out;
}

function deltaTables(runs: readonly Compared[]): SafeHtml {
  const [base, ...others] = runs.map((r) => ({ label: r.row.runId, scores: classScores(r.run) }));
  const sets = [...base.scores.keys()].filter((s) => others.some((o) => o.scores.has(s)));
  if (sets.length === 0) return html`<p class="caption">No evaluation set scored by the first run and another one yet.</p>`;
  const names = [...CLASS_NAMES, 'mIoU (19 classes)'];
  return html`${sets.map((set) => {
    const b = base.scores.get(set)!;
    const cell = (v: number | null | undefined, ref: number | null | undefined) => {
      if (v === null || v === undefined || ref === null || ref === undefined) return html`<td class="num">—</td>`;
      const d = (v - ref) * 100;
      return html`<td class="num ${d > 0.05 ? 'delta-pos' : d < -0.05 ? 'delta-neg' : ''}">${fmtSigned(d, 1)}</td>`;
    };
    return html`<h3>${set}</h3><div class="table-wrap"><table class="data delta-table" data-set="${set}"><thead><tr><th>class</th><th class="num">${base.label} (%)</th>${others.map(
      (o) => html`<th class="num">${o.label} − first (points)</th>`,
    )}</tr></thead><tbody>${names.map(
      (n, i) => html`<tr><th>${n}</th><td class="num">${b[i] === null || b[i] === undefined ? '—' : fmt(b[i]! * 100, 1)}</td>${others.map((o) => cell(o.scores.get(set)?.[i], b[i]))}</tr>`,
    )}</tbody></table></div>`;
  })}`;
}

export function comparePage(runs: readonly Compared[]): string {
  const diffs = configDifferences(runs);
  const charts = runCharts(runs.map(({ run, row }) => ({ label: `${row.runId}`, run })));
  const body = html`<h1>Compare ${runs.length} runs</h1>
<ul>${runs.map(({ row }) => html`<li><a class="mono" href="/run/${row.key}">${row.runId}</a> ${statusChip(row.status)} ${row.experiment} · ${row.preset}</li>`)}</ul>
<h2>Config differences</h2>
${
  diffs.length
    ? html`<div class="table-wrap"><table class="data" id="config-diff"><thead><tr><th>key</th>${runs.map(({ row }) => html`<th class="mono">${row.runId}</th>`)}</tr></thead><tbody>${diffs.map(
        (d) => html`<tr><th class="mono">${d.key}</th>${d.values.map((v) => html`<td class="mono">${v}</td>`)}</tr>`,
      )}</tbody></table></div>`
    : html`<p class="caption" id="config-diff-none">The resolved configs are identical.</p>`
}
<h2>Curves</h2><div class="figures">${Object.keys(charts).map((id) => html`<figure class="chart"><div id="${id}" class="chart-host"></div></figure>`)}</div>
<h2>Per-class IoU deltas</h2><p class="caption">Each run against the first one, in IoU points (final scores, or the latest validation of a run in progress).</p>
${deltaTables(runs)}`;
  return page({ title: 'Compare · exp ui', charts: true, script: `UnpoolUI.charts(${scriptSafe(JSON.stringify(charts))}, null);` }, body);
}
