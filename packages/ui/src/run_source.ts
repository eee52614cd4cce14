import * as fs from 'node:fs';
import * as path from 'node:path';
// The one module of the UI that reads the run store (@unpool/results, which loads no compute engine).
import { lockHolder, loadRun, samplesIndexSchema, type LoadedRun, type LockHolder, type MetricsLine, type RunConfigFile, type RunResult, type SamplesIndex } from '@unpool/results';

export type { LockHolder, MetricsLine, RunConfigFile, RunResult, SamplesIndex };

/** One run folder as read from disk, with everything that went wrong reading it. */
export interface RunRecord {
  /** Index of its runs root in the server's list, part of every URL of the run. */
  rootIndex: number;
  experiment: string;
  runId: string;
  dir: string;
  config: RunConfigFile | null;
  result: RunResult | null;
  metrics: MetricsLine[];
  samples: SamplesIndex | null;
  lock: LockHolder | null;
  /** Whether result.json exists (null result with the file present: it could not be read). */
  hasResultFile: boolean;
  problems: string[];
}

function readSamples(dir: string, problems: string[]): SamplesIndex | null {
  const file = path.join(dir, 'samples', 'index.json');
  if (!fs.existsSync(file)) return null;
  try {
    const parsed = samplesIndexSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (parsed.success) return parsed.data;
    problems.push(`samples/index.json does not match its schema: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  } catch (err) {
    problems.push(`samples/index.json: ${(err as Error).message}`);
  }
  return null;
}

/** A run folder `<root>/<experiment>/<runId>/` found under the `rootIndex`th runs root. */
export interface RunDir {
  rootIndex: number;
  experiment: string;
  runId: string;
  dir: string;
}

export function readRun({ rootIndex, experiment, dir }: RunDir): RunRecord {
  let loaded: LoadedRun;
  try {
    loaded = loadRun(dir);
  } catch (err) {
    // The store's readers report problems rather than throw, but a UI must not fall over if one does.
    loaded = { runId: path.basename(dir), dir, config: null, result: null, metrics: [], problems: [(err as Error).message], interrupted: false };
  }
  const problems = [...loaded.problems];
  return {
    rootIndex,
    experiment,
    runId: loaded.runId,
    dir,
    config: loaded.config,
    result: loaded.result,
    metrics: loaded.metrics,
    samples: readSamples(dir, problems),
    lock: lockHolder(dir),
    hasResultFile: fs.existsSync(path.join(dir, 'result.json')),
    problems,
  };
}

function subdirs(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
}

/** Every run folder `<root>/<experiment>/<runId>/` of every root, in root order. */
export function runDirs(roots: readonly string[]): RunDir[] {
  return roots.flatMap((root, rootIndex) =>
    subdirs(root).flatMap((experiment) => subdirs(path.join(root, experiment)).map((runId) => ({ rootIndex, experiment, runId, dir: path.join(root, experiment, runId) }))),
  );
}

/** Every run folder of every root, read, in root order. */
export function scanRuns(roots: readonly string[]): RunRecord[] {
  return runDirs(roots).map(readRun);
}

const WATCHED = ['config.json', 'result.json', 'metrics.jsonl', 'lock', path.join('samples', 'index.json')];

/**
 * A fingerprint of everything `readRun` reads from one run folder: the size and mtime of its files, and
 * whether its lock's holder still lives (a process can die without touching a file). Cheap enough to poll.
 */
export function runSignature(dir: string): string {
  const parts: string[] = [];
  for (const f of WATCHED) {
    try {
      const st = fs.statSync(path.join(dir, f));
      parts.push(`${f}:${st.size}:${st.mtimeMs}`);
    } catch {
      parts.push(`${f}:-`);
    }
  }
  const lock = lockHolder(dir);
  if (lock) parts.push(`live:${lock.live}`);
  return parts.join('|');
}
