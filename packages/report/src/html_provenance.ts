import type { ReportModel } from './report_model.js';
import { fmtSeconds } from './view/units.js';
import { html, type SafeHtml } from './view/html.js';

/** The provenance table: one row per expected run (then strays and shadowed copies), problems beneath. */
export function provenanceHtml(model: ReportModel): SafeHtml {
  const w = model.gridWall;
  const wall = w
    ? html`<p class="grid-wall" id="grid-wall"><b>Grid wall time: ${fmtSeconds(w.seconds)}</b>, from the earliest start (${w.startedAt.replace('T', ' ').slice(0, 19)} UTC) to the latest finish (${w.finishedAt.replace('T', ' ').slice(0, 19)} UTC) of its ${w.runs} finished run${w.runs === 1 ? '' : 's'}${
        w.unfinished ? html`; <span class="warn">${w.unfinished} run${w.unfinished === 1 ? '' : 's'} of the grid not finished, so the grid took longer</span>` : ''
      }.</p>`
    : html`<p class="grid-wall" id="grid-wall">Grid wall time: no finished run yet.</p>`;
  const rows = model.provenance.map((p, i) => {
    const commit = p.commit ? `${p.commit.slice(0, 10)}${p.dirty ? ' +dirty' : ''}` : p.dirty ? '(unknown) +dirty' : '';
    const progress = p.step !== null && p.steps !== null ? `${p.step}/${p.steps}` : '';
    const time = (t: string | null) => (t ?? '').replace('T', ' ').slice(0, 16);
    const main = html`<tr data-run="${p.runId}" data-status="${p.status}"><td>${p.variant}</td><td class="num">${p.seed ?? ''}</td><td><span class="status-chip ${p.status.replace(/ /g, '-')}">${p.status}</span></td><td class="mono">${p.runId}</td><td class="mono">${p.configHash}</td><td class="mono">${commit}</td><td>${p.backend ?? ''}</td><td>${p.preset ?? ''}</td><td class="mono">${time(p.createdAt)}</td><td class="mono">${time(p.finishedAt)}</td><td class="num">${progress}</td><td class="num">${p.wallSeconds === null ? '' : fmtSeconds(p.wallSeconds)}</td><td class="mono">${p.root ?? ''}</td></tr>`;
    const problems = p.problems.length ? html`\n<tr class="problems"><td></td><td colspan="12"><ul>${p.problems.map((x) => html`<li>${x}</li>`)}</ul></td></tr>` : '';
    return html`${i ? '\n' : ''}${main}${problems}`;
  });
  return html`${wall}
<div class="table-wrap"><table class="data" id="provenance-table"><thead><tr><th>variant</th><th class="num">seed</th><th>status</th><th>run id</th><th>config hash</th><th>git commit</th><th>backend</th><th>preset</th><th>started</th><th>finished</th><th class="num">step</th><th class="num">wall time</th><th>runs root</th></tr></thead><tbody>
${rows}
</tbody></table></div>`;
}
