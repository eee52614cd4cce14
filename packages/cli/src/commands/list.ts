import * as fs from 'node:fs';
import * as path from 'node:path';
import { listRuns } from '@unpool/results';
import { parse } from '../args.js';
import { textTable, pct } from '../text_table.js';

export const listUsage = 'exp list [--experiment e] [--out runs/]';

export async function listCommand(argv: string[]): Promise<number> {
  const { values } = parse('list', argv, { experiment: { type: 'string' }, out: { type: 'string', default: 'runs' } });
  const root = path.resolve(values.out!);
  const experiments = values.experiment
    ? [values.experiment]
    : fs.existsSync(root)
      ? fs.readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name)
      : [];
  const rows: string[][] = [];
  for (const experiment of experiments) {
    for (const run of listRuns(root, experiment)) {
      const r = run.result;
      const evals = r ? Object.entries(r.evals).map(([k, v]) => `${k} ${pct(v.miou)}`).join(', ') : '';
      rows.push([
        experiment,
        run.runId,
        run.config?.preset ?? '?',
        run.interrupted ? 'interrupted' : (r?.status ?? 'unknown'),
        r ? `${r.step}/${r.steps}` : '?',
        evals,
        run.problems.length ? run.problems.join('; ') : '',
      ]);
    }
  }
  if (!rows.length) {
    process.stdout.write(`no runs under ${root}${values.experiment ? ` for experiment '${values.experiment}'` : ''}\n`);
    return 0;
  }
  process.stdout.write(textTable(['experiment', 'run', 'preset', 'status', 'step', 'mIoU (final)', 'problems'], rows) + '\n');
  return 0;
}
