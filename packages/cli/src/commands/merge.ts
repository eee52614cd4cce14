import * as fs from 'node:fs';
import * as path from 'node:path';
import { isRunFolderName, readResult } from '@unpool/results';
import { parse, UsageError } from '../args.js';

export const mergeUsage = 'exp merge <shardRunsDir...> --out runs/';

const rank = (status: string | undefined) => (status === 'completed' ? 3 : status === 'running' ? 1 : status ? 2 : 0);

/** The status in a run folder's result.json; undefined when it is missing or unreadable. Reads nothing else. */
function resultStatus(dir: string): string | undefined {
  try {
    return readResult(path.join(dir, 'result.json')).status;
  } catch {
    return undefined;
  }
}

/**
 * Gathers the run folders of several shard outputs into one runs folder. A run present in several inputs
 * keeps its most finished copy (completed > failed/diverged > running); copies are made into a temp
 * folder and renamed, so an interrupted merge never leaves half a run.
 */
export async function mergeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('merge', argv, { out: { type: 'string' } });
  if (!values.out || positionals.length === 0) throw new UsageError(`usage: ${mergeUsage}`);
  const out = path.resolve(values.out);
  // Every input is checked before anything is copied, so a wrong argument changes nothing.
  const inputs = positionals.map((p) => path.resolve(p)).filter((input) => input !== out);
  const sources = inputs.flatMap(runFolders);
  let copied = 0;
  let kept = 0;
  for (const { src, experiment, runId } of sources) {
    const dst = path.join(out, experiment, runId);
    if (fs.existsSync(dst) && rank(resultStatus(dst)) >= rank(resultStatus(src))) {
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
  process.stdout.write(`exp merge: ${copied} run folder(s) copied into ${out}, ${kept} already there kept\n`);
  return 0;
}

const subfolders = (dir: string) => fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name);
const isRunFolder = (dir: string) => ['config.json', 'result.json'].some((f) => fs.existsSync(path.join(dir, f)));

/**
 * The run folders of one runs root (`<root>/<experiment>/<runId>/`, each holding config.json or
 * result.json). A folder one level too deep (runs/ablation) or one that is no runs root is an error
 * naming it, not a garbage layout.
 */
function runFolders(input: string): { src: string; experiment: string; runId: string }[] {
  if (!fs.existsSync(input)) throw new UsageError(`exp merge: ${input} does not exist`);
  if (!fs.statSync(input).isDirectory()) throw new UsageError(`exp merge: ${input} is not a folder`);
  if (isRunFolder(input)) throw new UsageError(`exp merge: ${input} is a run folder; pass the runs root two levels above it (the folder that holds <experiment>/<runId>/)`);
  const found: { src: string; experiment: string; runId: string }[] = [];
  for (const experiment of subfolders(input)) {
    const expDir = path.join(input, experiment);
    if (isRunFolder(expDir)) {
      throw new UsageError(`exp merge: ${input} holds run folders directly (${experiment}/ has a config.json): it is an experiment folder; pass its parent, the runs root`);
    }
    for (const runId of subfolders(expDir).filter(isRunFolderName)) {
      const src = path.join(expDir, runId);
      // A run killed between taking its lock and writing config.json has nothing to merge.
      if (fs.readdirSync(src).every((f) => f === 'lock')) continue;
      if (!isRunFolder(src)) throw new UsageError(`exp merge: ${src} has neither config.json nor result.json: ${input} is not a runs root (<root>/<experiment>/<runId>/)`);
      found.push({ src, experiment, runId });
    }
  }
  return found;
}
