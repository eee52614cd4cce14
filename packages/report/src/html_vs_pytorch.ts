import { fmt } from './format.js';
import { esc } from './html_escape.js';
import type { VsPytorchTable } from './pytorch_table.js';

/** Milliseconds to one decimal: run-to-run noise of a CPU step is far above that. */
const ms = (x: number) => fmt(x, 1);
const ratio = (x: number) => `${fmt(x, 2)}×`;

function engineText(row: VsPytorchTable['data']['rows'][number]): string {
  const engine = row.engine ?? 'engine not recorded';
  return row.backend ? `${engine} on ${row.backend}` : engine;
}

/** Every round's train ratio, those above target marked, so one noisy round is visible beside the median. */
function roundRatiosHtml(rounds: readonly { trainRatio: number }[], target: number): string {
  return rounds.map((r) => (r.trainRatio > target ? `<span class="gain-neg">${esc(ratio(r.trainRatio))}</span>` : esc(ratio(r.trainRatio)))).join(' · ');
}

function captionHtml(t: VsPytorchTable): string {
  const d = t.data;
  const torch = `PyTorch ${d.torch ?? '(version not recorded)'}, ${d.torchThreads ?? '?'} thread${d.torchThreads === 1 ? '' : 's'}`;
  const rounds = t.roundFiles.map(([ours, theirs]) => `<code>${esc(ours)}</code> + <code>${esc(theirs)}</code>`).join(', ');
  return (
    `<p class="caption">From <code>${esc(t.file)}</code>, written by <code>bash scripts/bench/vs-pytorch.sh</code>: our SegNet-mini train step against a PyTorch replica of it (<code>scripts/bench/torch_segnet.py</code>, ${esc(torch)}), ` +
    `run alternately on the same machine with the same batch, input size and repetitions. Each time is the median over ${d.rounds} round${d.rounds === 1 ? '' : 's'} of each side's median step time (ms); ratio = ours / PyTorch, lower is better. ` +
    `<b>Meets</b>, as the script judged it: train and forward ratio both at most the file's target, ${esc(ratio(d.target))}; per-round train ratios above it are in red (the verdict uses the medians). ` +
    (rounds ? `Raw rounds (our <code>pnpm bench train</code> output + the PyTorch script's), summarised here and not listed under Operator benchmarks: ${rounds}.` : '') +
    '</p>'
  );
}

function tableHtml(t: VsPytorchTable, id: string): string {
  const d = t.data;
  const rows = d.rows
    .map(
      (r) =>
        `<tr data-unpool="${esc(r.unpool)}"><th>${esc(r.unpool)}</th><td>${esc(engineText(r))}</td>` +
        `<td class="num">${esc(ms(r.oursTrainMs))}</td><td class="num">${esc(ms(r.torchTrainMs))}</td><td class="num">${esc(ratio(r.trainRatio))}</td>` +
        `<td class="num">${esc(ms(r.oursForwardMs))}</td><td class="num">${esc(ms(r.torchForwardMs))}</td><td class="num">${esc(ratio(r.forwardRatio))}</td>` +
        `<td class="${r.meets ? 'gain-pos' : 'gain-neg'}">${r.meets ? 'yes' : 'no'}</td><td class="num">${roundRatiosHtml(r.rounds, d.target)}</td></tr>`,
    )
    .join('\n');
  return `<div class="table-wrap"><table class="data" id="${esc(id)}"><thead><tr><th>unpool</th><th>engine</th><th class="num">ours train (ms)</th><th class="num">PyTorch train (ms)</th><th class="num">train ratio</th><th class="num">ours forward (ms)</th><th class="num">PyTorch forward (ms)</th><th class="num">forward ratio</th><th>meets ≤ ${esc(ratio(d.target))}</th><th class="num">train ratio per round</th></tr></thead><tbody>
${rows}
</tbody></table></div>`;
}

/** The "CPU training speed vs PyTorch" section: nothing when no verdict file was given. */
export function vsPytorchHtml(tables: readonly (VsPytorchTable | { file: string; error: string })[]): string {
  if (tables.length === 0) return '';
  const body = tables
    .map((t, i) => ('error' in t ? `<p class="caption status-text">${esc(t.error)}</p>` : tableHtml(t, tables.length === 1 ? 'vs-pytorch-table' : `vs-pytorch-table-${i}`) + captionHtml(t)))
    .join('\n');
  return `<h3 id="vs-pytorch">CPU training speed vs PyTorch</h3>\n${body}`;
}
