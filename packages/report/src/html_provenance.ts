import type { ReportModel } from './report_model.js';
import { html, type SafeHtml } from './view/html.js';

/** The provenance table: one row per expected run (then strays and shadowed copies), problems beneath. */
export function provenanceHtml(model: ReportModel): SafeHtml {
  const rows = model.provenance.map((p, i) => {
    const commit = p.commit ? `${p.commit.slice(0, 10)}${p.dirty ? ' +dirty' : ''}` : p.dirty ? '(unknown) +dirty' : '';
    const progress = p.step !== null && p.steps !== null ? `${p.step}/${p.steps}` : '';
    const time = (t: string | null) => (t ?? '').replace('T', ' ').slice(0, 16);
    const main = html`<tr data-run="${p.runId}" data-status="${p.status}"><td>${p.variant}</td><td class="num">${p.seed ?? ''}</td><td><span class="status-chip ${p.status.replace(/ /g, '-')}">${p.status}</span></td><td class="mono">${p.runId}</td><td class="mono">${p.configHash}</td><td class="mono">${commit}</td><td>${p.backend ?? ''}</td><td>${p.preset ?? ''}</td><td class="mono">${time(p.createdAt)}</td><td class="mono">${time(p.finishedAt)}</td><td class="num">${progress}</td><td class="mono">${p.root ?? ''}</td></tr>`;
    const problems = p.problems.length ? html`\n<tr class="problems"><td></td><td colspan="11"><ul>${p.problems.map((x) => html`<li>${x}</li>`)}</ul></td></tr>` : '';
    return html`${i ? '\n' : ''}${main}${problems}`;
  });
  return html`<div class="table-wrap"><table class="data" id="provenance-table"><thead><tr><th>variant</th><th class="num">seed</th><th>status</th><th>run id</th><th>config hash</th><th>git commit</th><th>backend</th><th>preset</th><th>started</th><th>finished</th><th class="num">step</th><th>runs root</th></tr></thead><tbody>
${rows}
</tbody></table></div>`;
}
