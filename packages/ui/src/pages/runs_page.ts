import { fmt, fmtSeconds, fmtSpread, html, seedStats, type HtmlValue, type SafeHtml } from '@unpool/report';
import type { RunRow } from '../run_row.js';
import { page, statusChip } from './layout.js';

/** A cell with the value it sorts by (numbers sort as numbers in the page's script). */
function td(sortValue: string | number | null, content: HtmlValue, cls = ''): SafeHtml {
  return html`<td class="${cls}" data-v="${sortValue ?? ''}">${content}</td>`;
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '' : fmt(x * 100, 1));

/** Evaluation sets in first-seen order over all rows: one final-mIoU column each. */
export function evalSets(rows: readonly RunRow[]): string[] {
  const sets: string[] = [];
  for (const r of rows) for (const s of Object.keys(r.finalMiou)) if (!sets.includes(s)) sets.push(s);
  return sets;
}

function progressCell(r: RunRow): SafeHtml {
  if (r.step === null || r.steps === null) return td(null, '');
  const frac = r.steps > 0 ? Math.min(1, r.step / r.steps) : 0;
  const eta = r.etaSeconds !== null ? html`<span class="s">ETA ${fmtSeconds(r.etaSeconds)}</span>` : '';
  return td(
    frac,
    html`<span class="bar-outer"><span class="bar-inner" style="width:${(frac * 100).toFixed(1)}%"></span></span><span class="step">${r.step}</span>/${r.steps}${eta}`,
    'num progress',
  );
}

function statusCell(r: RunRow): SafeHtml {
  const problems = r.problems.length
    ? html`<details class="problems"><summary>${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}</summary><ul>${r.problems.map((p) => html`<li>${p}</li>`)}</ul></details>`
    : '';
  return td(r.status, html`${statusChip(r.status)}${problems}`, r.problems.length ? 'problems-cell' : '');
}

const COLUMNS = ['', 'run id', 'experiment', 'variant', 'seed', 'preset', 'status', 'step', 'loss', 'val mIoU (%)'];
const TAIL_COLUMNS = ['engine / backend', 'commit', 'started', 'runs root'];

function rowHtml(r: RunRow, sets: readonly string[], roots: readonly string[]): SafeHtml {
  const href = `/run/${r.key}`;
  const commit = r.commit ? `${r.commit.slice(0, 10)}${r.dirty ? ' +dirty' : ''}` : '';
  const compute = [r.engine, r.backend].filter(Boolean).join(' on ');
  return html`<tr data-key="${r.key}" data-status="${r.status}" class="${r.problems.length ? 'has-problems' : ''}">
<td><input type="checkbox" class="pick" value="${r.key}" aria-label="select ${r.runId} for comparison"></td>
${td(r.runId, html`<a class="mono" href="${href}">${r.runId}</a>`)}${td(r.experiment, r.experiment)}${td(r.variant, r.variant)}${td(r.seed, r.seed, 'num')}${td(r.preset, r.preset)}
${statusCell(r)}${progressCell(r)}${td(r.loss, r.loss === null ? '' : r.loss.toFixed(4), 'num loss')}${td(
    r.valMiou?.value ?? null,
    r.valMiou ? html`${pct(r.valMiou.value)}<span class="s">${r.valMiou.set} @ ${r.valMiou.step}</span>` : '',
    'num val',
  )}
${sets.map((s) => td(r.finalMiou[s] ?? null, pct(r.finalMiou[s]), 'num'))}${td(compute, compute)}${td(commit, commit, 'mono')}${td(
    r.startedAt,
    (r.startedAt ?? '').replace('T', ' ').slice(0, 16),
    'mono',
  )}${td(roots[r.rootIndex] ?? '', roots[r.rootIndex] ?? '', 'mono')}
</tr>`;
}

/** The runs table's header and body; the body alone is what live updates replace. */
export function runsTableHtml(rows: readonly RunRow[], roots: readonly string[]): { head: SafeHtml; body: SafeHtml } {
  const sets = evalSets(rows);
  const labels = [...COLUMNS, ...sets.map((s) => `final mIoU ${s} (%)`), ...TAIL_COLUMNS];
  return {
    head: html`<tr class="labels">${labels.map((l, i) => (i === 0 ? html`<th data-nosort="1"></th>` : html`<th scope="col">${l}</th>`))}</tr>
<tr class="filters">${labels.map((l, i) => html`<th>${i === 0 ? '' : html`<input type="search" data-col="${i}" placeholder="filter" aria-label="filter ${l}">`}</th>`)}</tr>`,
    body: html`${rows.map((r) => rowHtml(r, sets, roots))}`,
  };
}

/** One row per experiment/preset/variant: seeds, statuses, final mIoU as the mean over seeds with its spread. */
export function groupsTableHtml(rows: readonly RunRow[]): SafeHtml {
  const sets = evalSets(rows);
  const groups = new Map<string, RunRow[]>();
  for (const r of rows) {
    const k = `${r.experiment}\u0000${r.preset}\u0000${r.variant}`;
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  const body = [...groups.values()].map((g) => {
    const counts = new Map<string, number>();
    for (const r of g) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
    const cells = sets.map((s) => {
      const st = seedStats(g.map((r) => (r.finalMiou[s] === null || r.finalMiou[s] === undefined ? null : r.finalMiou[s]! * 100)));
      return st ? html`<td class="num">${fmt(st.mean, 1)}<span class="s">${fmtSpread(st, 1)}${st.n > 1 ? ` (n=${st.n})` : ''}</span></td>` : html`<td></td>`;
    });
    return html`<tr><td>${g[0].experiment}</td><td>${g[0].preset}</td><th>${g[0].variant}</th><td class="num">${g.length}</td><td>${[...counts].map(([s, n]) => html`${n} ${statusChip(s)} `)}</td><td class="mono">${g
      .map((r) => r.seed)
      .filter((x) => x !== null)
      .join(', ')}</td>${cells}</tr>`;
  });
  return html`<thead><tr><th>experiment</th><th>preset</th><th>variant</th><th class="num">runs</th><th>status</th><th>seeds</th>${sets.map(
    (s) => html`<th class="num">final mIoU ${s} (%)</th>`,
  )}</tr></thead><tbody>${body}</tbody>`;
}

export function runsPage(rows: readonly RunRow[], roots: readonly string[], reports: readonly string[]): string {
  const t = runsTableHtml(rows, roots);
  const body = html`<h1>Runs</h1>
<p class="meta">${rows.length} run folder${rows.length === 1 ? '' : 's'} under ${roots.length} runs root${roots.length === 1 ? '' : 's'}: ${roots.join(', ')}. Read-only; updates live as runs write their files.
${reports.length ? html` Reports: ${reports.map((r, i) => html`${i ? ', ' : ''}<a href="/reports/${r}/index.html">${r}</a>`)}.` : ''}</p>
<div class="toolbar"><label><input type="checkbox" id="group-toggle"> group by variant (mean over seeds, spread: min–max for 2 seeds, ±95% CI for 3+)</label>
<button id="compare-btn" disabled>Compare selected</button><span id="count" class="meta"></span></div>
<div class="table-wrap" id="runs-wrap"><table class="data runs" id="runs"><thead>${t.head}</thead><tbody id="runs-body">${t.body}</tbody></table></div>
<div class="table-wrap" id="groups-wrap" hidden><table class="data" id="groups">${groupsTableHtml(rows)}</table></div>`;
  return page({ title: 'Runs · exp ui' }, body);
}
