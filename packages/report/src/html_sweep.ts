import { cellStatusText, fmt, fmtSpread } from './format.js';
import { reportHead } from './html_style.js';
import { gridWallTime } from './provenance.js';
import type { RunSlot } from './run_slots.js';
import { sameSetting, settingKey, settingText, SWEEP_MODELS, TIE_POINTS, type SettingScore, type SweepCell, type SweepModel, type SweepSetting, type SweepSummary } from './sweep.js';
import { fmtSeconds } from './view/units.js';
import { html, type SafeHtml } from './view/html.js';

const MODEL_LABEL: Record<SweepModel, string> = { switch: 'switch', 'bayes-switch': 'Bayesian switch', ratio: 'ratio' };

function cellHtml(c: SweepCell | undefined): SafeHtml {
  if (!c) return html`<td class="num">—</td>`;
  if (c.pruned) return html`<td class="num pruned" data-variant="${c.variant}">pruned</td>`;
  if (c.cell.kind !== 'stats') return html`<td class="num status" data-variant="${c.variant}">${cellStatusText(c.cell)}</td>`;
  const st = c.cell.stats;
  const spread = fmtSpread(st);
  return html`<td class="num" data-variant="${c.variant}"><span class="m">${fmt(st.mean)}</span><span class="s">n = ${st.n}${spread ? `, ${spread}` : ''}</span></td>`;
}

function scoreOf(scores: readonly SettingScore[], s: SweepSetting): string {
  const hit = scores.find((x) => sameSetting(x.setting, s));
  return hit ? fmt(hit.score) : '';
}

/** The grid of every cell: a row per setting, per stage a column per model and the baseline score. */
function cellsTable(summary: SweepSummary): SafeHtml {
  const stageHead = summary.stages.map((st, i) => html`<th colspan="${SWEEP_MODELS.length + 1}">stage ${i + 1}: preset <code>${st.preset}</code>, ${st.steps} steps, seeds ${st.seeds.join(', ')}</th>`);
  const modelHead = summary.stages.map(() => html`${SWEEP_MODELS.map((m) => html`<th class="num">${MODEL_LABEL[m]}</th>`)}<th class="num">baseline score</th>`);
  const rows = summary.settings.map((s, i) => {
    const cells = summary.stages.map((st) => html`${SWEEP_MODELS.map((m) => cellHtml(st.cells.get(settingKey(s))?.[m]))}<td class="num"><b>${scoreOf(st.scores, s)}</b></td>`);
    return html`${i ? '\n' : ''}<tr data-setting="${settingKey(s)}"><th>${s.lr}</th><th>${s.schedule}</th><th>${s.init}</th>${cells}</tr>`;
  });
  return html`<div class="table-wrap"><table class="data" id="sweep-cells"><thead><tr class="super"><th colspan="3">setting</th>${stageHead}</tr>
<tr><th>lr</th><th>schedule</th><th>init</th>${modelHead}</tr></thead><tbody>
${rows}
</tbody></table></div>`;
}

function rankingList(summary: SweepSummary): SafeHtml {
  if (summary.ranking.length === 0) return html`<p class="caption">Stage 1 has no setting with both baselines completed yet.</p>`;
  const items = summary.ranking.map((r, i) => {
    const went = summary.advanced.some((a) => sameSetting(a, r.setting));
    return html`${i ? '\n' : ''}<tr data-setting="${settingKey(r.setting)}"><td class="num">${i + 1}</td><td>${settingText(r.setting)}</td><td class="num">${fmt(r.score)}</td><td>${went ? 'stage 2' : ''}</td></tr>`;
  });
  return html`<table class="data" id="sweep-ranking"><thead><tr><th class="num">rank</th><th>setting</th><th class="num">baseline score</th><th>went on to</th></tr></thead><tbody>
${items}
</tbody></table>`;
}

function winnerHtml(summary: SweepSummary): SafeHtml {
  const w = summary.winner;
  const last = summary.stages[summary.stages.length - 1];
  if (!w || !last) return html`<p class="caption" id="sweep-winner">No winner yet: the last stage has no setting with both baselines completed.</p>`;
  const row = last.cells.get(settingKey(w.winner.setting)) ?? {};
  const num = (c: SweepCell | undefined) => (c && c.cell.kind === 'stats' ? `${fmt(c.cell.stats.mean)} (n = ${c.cell.stats.n})` : 'no result');
  const others = w.tied.filter((t) => t !== w.winner);
  return html`<p id="sweep-winner"><b>Winner for the baselines: ${settingText(w.winner.setting)}</b> (baseline score ${fmt(w.winner.score)}: switch ${num(row.switch)}, Bayesian switch ${num(row['bayes-switch'])}). Ratio unpooling in the same setting: ${num(row.ratio)}.${
    others.length ? html` Tied within ${TIE_POINTS} points and less simple: ${others.map((t) => `${settingText(t.setting)} (${fmt(t.score)})`).join('; ')}.` : ''
  }</p>`;
}

function wallText(slots: readonly RunSlot[]): string {
  const w = gridWallTime(slots);
  return w ? `${fmtSeconds(w.seconds)} over ${w.runs} finished run${w.runs === 1 ? '' : 's'}` : 'no finished run';
}

export interface SweepPageInput {
  experiment: { name: string; description: string };
  summary: SweepSummary;
  stageSlots: readonly (readonly RunSlot[])[];
  runsRoots: readonly string[];
  generatedAt: string;
  warnings: readonly string[];
}

/** The sweep's page: every cell, stage 1's ranking, the winner for the baselines and the stage-2 command. */
export function sweepHtml(input: SweepPageInput): string {
  const { summary, experiment } = input;
  const stageWalls = summary.stages.map((st, i) => html`${i ? '; ' : ''}stage ${i + 1} (<code>${st.preset}</code>): ${wallText(input.stageSlots[i] ?? [])}`);
  return html`<!doctype html>
<html lang="en">
${reportHead(`${experiment.name}: ${experiment.description}`)}
<body><main>
<header>
<p class="kicker">Sweep report · experiment <span class="mono">${experiment.name}</span></p>
<h1>${experiment.description}</h1>
<p class="meta">Generated ${input.generatedAt} from ${input.runsRoots.join(', ')}. Grid wall time: ${stageWalls}.</p>
${input.warnings.length ? html`<ul class="warnings">${input.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : ''}
</header>
<section id="sec-cells">
<h2>1. Every cell</h2>
<p class="caption">Synth-city validation mIoU (19 classes, percent) at the end of training: mean over seeds, then n and the spread (min–max for two seeds, ± half-width of the 95% t interval for three or more). <i>pruned</i>: the stage did not run that cell. The baseline score is the mean of the switch and Bayesian-switch cells; ratio never enters it.</p>
${cellsTable(summary)}
</section>
<section id="sec-ranking">
<h2>2. Stage 1: settings by baseline score</h2>
${rankingList(summary)}
</section>
<section id="sec-winner">
<h2>3. Stage 2: the setting the ablation adopts</h2>
${winnerHtml(summary)}
<p class="caption">Rule: the highest baseline score in the last stage; settings within ${TIE_POINTS} mIoU points of it tie, and the simplest of them wins (constant before poly, then He-normal before PyTorch's default initialisation, then the lower learning rate).</p>
${summary.stage2Command ? html`<p>Stage 2 ran the best settings of stage 1 with every model: <code class="cmd" id="stage2-command">${summary.stage2Command}</code></p>` : ''}
</section>
</main></body></html>
`.value;
}
