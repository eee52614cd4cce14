import * as path from 'node:path';
import { CLASS_NAMES } from '@unpool/metrics';
import { parse, UsageError } from '../args.js';
import { findRun } from './find_run.js';
import { pct, textTable } from '../text_table.js';

export const compareUsage = 'exp compare <runA> <runB> [--out runs/]';

/** Flattens nested JSON into path -> printed value, for a readable config diff. */
export function flatten(value: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out[prefix] = JSON.stringify(value);
  }
  return out;
}

export function configDiff(a: unknown, b: unknown): [string, string, string][] {
  const fa = flatten(a);
  const fb = flatten(b);
  const keys = [...new Set([...Object.keys(fa), ...Object.keys(fb)])].sort();
  return keys.filter((k) => fa[k] !== fb[k]).map((k) => [k, fa[k] ?? '(absent)', fb[k] ?? '(absent)']);
}

export async function compareCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('compare', argv, { out: { type: 'string', default: 'runs' } });
  if (positionals.length !== 2) throw new UsageError(`usage: ${compareUsage}`);
  const root = path.resolve(values.out!);
  const [a, b] = positionals.map((id) => findRun(root, id));
  const out: string[] = [`A = ${a.runId}`, `B = ${b.runId}`, ''];
  const diff = configDiff(a.config?.config ?? {}, b.config?.config ?? {});
  out.push(diff.length ? textTable(['config', 'A', 'B'], diff) : 'configs are identical');
  const ra = a.result;
  const rb = b.result;
  if (ra && rb) {
    for (const set of Object.keys(ra.evals).filter((s) => s in rb.evals)) {
      const ea = ra.evals[set];
      const eb = rb.evals[set];
      const delta = (x: number | null, y: number | null) => (x === null || y === null ? '-' : `${y >= x ? '+' : ''}${(100 * (y - x)).toFixed(1)}`);
      const rows = CLASS_NAMES.map((n, i) => [n, pct(ea.iou[i]), pct(eb.iou[i]), delta(ea.iou[i], eb.iou[i])]);
      rows.push(['mIoU (19)', pct(ea.miou), pct(eb.miou), delta(ea.miou, eb.miou)]);
      rows.push(['boundary F', pct(ea.boundary.fscore), pct(eb.boundary.fscore), delta(ea.boundary.fscore, eb.boundary.fscore)]);
      out.push('', textTable([`${set} IoU`, 'A', 'B', 'B - A (points)'], rows));
    }
  } else {
    out.push('', 'no metric diff: a result.json is missing');
  }
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}
