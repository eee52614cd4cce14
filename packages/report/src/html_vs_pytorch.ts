import { fmt } from './format.js';
import type { VsPytorchTable } from './pytorch_table.js';
import { html, type SafeHtml } from './view/html.js';
import { fmtRatio as ratio } from './view/units.js';

/** Milliseconds to one decimal: run-to-run noise of a CPU step is far above that. */
const ms = (x: number) => fmt(x, 1);

function engineText(row: VsPytorchTable['data']['rows'][number]): string {
  const engine = row.engine ?? 'engine not recorded';
  return row.backend ? `${engine} on ${row.backend}` : engine;
}

/** Every round's train ratio, those above target marked, so one noisy round is visible beside the median. */
function roundRatiosHtml(rounds: readonly { trainRatio: number }[], target: number): SafeHtml {
  return html`${rounds.map((r, i) => html`${i ? ' · ' : ''}${r.trainRatio > target ? html`<span class="gain-neg">${ratio(r.trainRatio)}</span>` : ratio(r.trainRatio)}`)}`;
}

function captionHtml(t: VsPytorchTable): SafeHtml {
  const d = t.data;
  const torch = `PyTorch ${d.torch ?? '(version not recorded)'}, ${d.torchThreads ?? '?'} thread${d.torchThreads === 1 ? '' : 's'}`;
  const rounds = t.roundFiles.map(([ours, theirs], i) => html`${i ? ', ' : ''}<code>${ours}</code> + <code>${theirs}</code>`);
  return html`<p class="caption">From <code>${t.file}</code>, written by <code>bash scripts/bench/vs-pytorch.sh</code>: our SegNet-mini train step against a PyTorch replica of it (<code>scripts/bench/torch_segnet.py</code>, ${torch}), run alternately on the same machine with the same batch, input size and repetitions. Each time is the median over ${d.rounds} round${d.rounds === 1 ? '' : 's'} of each side's median step time (ms); ratio = ours / PyTorch, lower is better. <b>Meets</b>, as the script judged it: train and forward ratio both at most the file's target, ${ratio(d.target)}; per-round train ratios above it are in red (the verdict uses the medians). ${
    rounds.length ? html`Raw rounds (our <code>pnpm bench train</code> output + the PyTorch script's), summarised here and not listed under Operator benchmarks: ${rounds}.` : ''
  }</p>`;
}

function tableHtml(t: VsPytorchTable, id: string): SafeHtml {
  const d = t.data;
  const rows = d.rows.map(
    (r) =>
      html`<tr data-unpool="${r.unpool}"><th>${r.unpool}</th><td>${engineText(r)}</td><td class="num">${ms(r.oursTrainMs)}</td><td class="num">${ms(r.torchTrainMs)}</td><td class="num">${ratio(r.trainRatio)}</td><td class="num">${ms(r.oursForwardMs)}</td><td class="num">${ms(r.torchForwardMs)}</td><td class="num">${ratio(r.forwardRatio)}</td><td class="${r.meets ? 'gain-pos' : 'gain-neg'}">${r.meets ? 'yes' : 'no'}</td><td class="num">${roundRatiosHtml(r.rounds, d.target)}</td></tr>\n`,
  );
  return html`<div class="table-wrap"><table class="data" id="${id}"><thead><tr><th>unpool</th><th>engine</th><th class="num">ours train (ms)</th><th class="num">PyTorch train (ms)</th><th class="num">train ratio</th><th class="num">ours forward (ms)</th><th class="num">PyTorch forward (ms)</th><th class="num">forward ratio</th><th>meets ≤ ${ratio(d.target)}</th><th class="num">train ratio per round</th></tr></thead><tbody>
${rows}</tbody></table></div>`;
}

/** The "CPU training speed vs PyTorch" section: nothing when no verdict file was given. */
export function vsPytorchHtml(tables: readonly (VsPytorchTable | { file: string; error: string })[]): SafeHtml {
  if (tables.length === 0) return html``;
  const body = tables.map((t, i) => ('error' in t ? html`<p class="caption status-text">${t.error}</p>\n` : html`${tableHtml(t, tables.length === 1 ? 'vs-pytorch-table' : `vs-pytorch-table-${i}`)}${captionHtml(t)}\n`));
  return html`<h3 id="vs-pytorch">CPU training speed vs PyTorch</h3>\n${body}`;
}
