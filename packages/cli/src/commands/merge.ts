import * as fs from 'node:fs';
import * as path from 'node:path';
import { isRunFolderName, loadRun } from '@unpool/exp';
import { parse, UsageError } from '../args.js';

export const mergeUsage = 'exp merge <shardRunsDir...> --out runs/';

const rank = (status: string | undefined) => (status === 'completed' ? 3 : status === 'running' ? 1 : status ? 2 : 0);

/**
 * Gathers the run folders of several shard outputs into one runs folder. A run present in several inputs
 * keeps its most finished copy (completed > failed/diverged > running); copies are made into a temp
 * folder and renamed, so an interrupted merge never leaves half a run.
 */
export async function mergeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('merge', argv, { out: { type: 'string' } });
  if (!values.out || positionals.length === 0) throw new UsageError(`usage: ${mergeUsage}`);
  const out = path.resolve(values.out);
  let copied = 0;
  let kept = 0;
  for (const input of positionals.map((p) => path.resolve(p))) {
    if (!fs.existsSync(input)) throw new UsageError(`exp merge: ${input} does not exist`);
    if (input === out) continue;
    for (const exp of fs.readdirSync(input, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith('.'))) {
      for (const runDir of fs.readdirSync(path.join(input, exp.name), { withFileTypes: true }).filter((d) => d.isDirectory() && isRunFolderName(d.name))) {
        const src = path.join(input, exp.name, runDir.name);
        const dst = path.join(out, exp.name, runDir.name);
        const incoming = loadRun(src);
        if (fs.existsSync(dst) && rank(loadRun(dst).result?.status) >= rank(incoming.result?.status)) {
          kept++;
          continue;
        }
        fs.mkdirSync(path.dirname(dst), { recursive: true });
        const tmp = `${dst}.merge-tmp-${process.pid}`;
        fs.rmSync(tmp, { recursive: true, force: true });
        fs.cpSync(src, tmp, { recursive: true, filter: (f) => path.basename(f) !== 'lock' });
        if (fs.existsSync(dst)) fs.rmSync(dst, { recursive: true, force: true });
        fs.renameSync(tmp, dst);
        copied++;
      }
    }
  }
  process.stdout.write(`exp merge: ${copied} run folder(s) copied into ${out}, ${kept} already there kept\n`);
  return 0;
}
