import * as path from 'node:path';
import { parse, UsageError } from '../args.js';
import { findRun } from './find_run.js';
import { pct, textTable } from '../text_table.js';
import { CLASS_NAMES } from '@unpool/metrics';

export const showUsage = 'exp show <runId|runDir> [--out runs/]';

export async function showCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('show', argv, { out: { type: 'string', default: 'runs' } });
  if (positionals.length !== 1) throw new UsageError(`usage: ${showUsage}`);
  const run = findRun(path.resolve(values.out!), positionals[0]);
  const out: string[] = [`run ${run.runId}  (${run.dir})`];
  if (run.config) {
    const c = run.config;
    out.push(
      `experiment ${c.experiment}  variant ${c.variant}  seed ${c.seed}  preset ${c.preset}  config ${c.configHash}`,
      `commit ${c.git.commit ?? '?'}${c.git.dirty ? ' (dirty)' : ''}  backend ${String(c.backend.name)}  machine ${c.machine.cpu} x${c.machine.cores}${c.machine.gpu ? `, ${c.machine.gpu}` : ''}`,
    );
  }
  const r = run.result;
  if (r) {
    out.push(`status ${run.interrupted ? 'interrupted (no process holds its lock: the same exp run resumes it)' : r.status}${r.error ? `: ${r.error}` : ''}  step ${r.step}/${r.steps}  wall ${r.wallSeconds.toFixed(0)} s`);
    const sets = Object.keys(r.evals);
    if (sets.length) {
      const rows = CLASS_NAMES.map((name, i) => [name, ...sets.map((s) => pct(r.evals[s].iou[i]))]);
      rows.push(['void (as class)', ...sets.map((s) => pct(r.evals[s].iouVoid))]);
      rows.push(['mIoU (19)', ...sets.map((s) => pct(r.evals[s].miou))]);
      rows.push(['paper average (20)', ...sets.map((s) => pct(r.evals[s].miou20Paper))]);
      rows.push(['boundary F', ...sets.map((s) => pct(r.evals[s].boundary.fscore))]);
      out.push('', textTable(['IoU', ...sets], rows));
    }
    if (r.costs) out.push('', `costs: ${JSON.stringify(r.costs)}`);
  }
  const evals = run.metrics.filter((m) => m.type === 'eval');
  if (evals.length) out.push('', `validation curve: ${evals.map((m) => `${m.step}:${pct(m.miou)}`).join('  ')}`);
  if (run.problems.length) out.push('', `problems: ${run.problems.join('; ')}`);
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}
