import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeJsonAtomic, writeFileAtomic } from '@unpool/models/light';
import {
  metricsLineSchema,
  resultSchema,
  runConfigFileSchema,
  type MetricsLine,
  type RunConfigFile,
  type RunResult,
} from './results_schema.js';
import { formatZodIssues } from './experiment.js';
import { configHash } from './grid.js';
import { appendJsonl, readJsonl } from './jsonl.js';
import { lockHolder } from './run_lock.js';
import { SLURM_FOLDER } from './slurm_record.js';

/** Paths of one run folder: runs/<experiment>/<runId>/. */
export function runPaths(runsRoot: string, experiment: string, runId: string) {
  const dir = path.join(runsRoot, experiment, runId);
  return {
    dir,
    config: path.join(dir, 'config.json'),
    metrics: path.join(dir, 'metrics.jsonl'),
    result: path.join(dir, 'result.json'),
    /** Training checkpoints, one `step-<n>` folder each (see @unpool/exp's checkpoint.ts). */
    checkpoint: path.join(dir, 'checkpoint'),
    /** Final weights (saveSegNet format), for export and inference. */
    model: path.join(dir, 'model'),
    samples: path.join(dir, 'samples'),
  };
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
}

export function readRunConfig(file: string): RunConfigFile {
  const parsed = runConfigFileSchema.safeParse(readJson(file));
  if (!parsed.success) throw new Error(`${file} does not match the config.json schema:\n${formatZodIssues(parsed.error)}`);
  return parsed.data;
}

export function readResult(file: string): RunResult {
  const parsed = resultSchema.safeParse(readJson(file));
  if (!parsed.success) throw new Error(`${file} does not match the result.json schema:\n${formatZodIssues(parsed.error)}`);
  return parsed.data;
}

/**
 * The lines of metrics.jsonl. A torn final line (a crash during an append) is skipped and passed to
 * `onTorn`, since the writer repairs it before its next append; any other bad line is an error.
 */
export function readMetrics(file: string, onTorn?: (problem: string) => void): MetricsLine[] {
  if (!fs.existsSync(file)) return [];
  const { values, torn } = readJsonl(file);
  if (torn) onTorn?.(`${file}:${torn.line}: torn last line (${torn.bytes} bytes, a write cut short) ignored`);
  return values.map(({ line, value }) => {
    const parsed = metricsLineSchema.safeParse(value);
    if (!parsed.success) throw new Error(`${file}:${line} does not match the metrics line schema:\n${formatZodIssues(parsed.error)}`);
    return parsed.data;
  });
}

/**
 * Rewrites metrics.jsonl keeping only lines up to `step` (atomically): after a resume from a checkpoint
 * at `step`, the lines the killed process logged past it are replaced by the re-run's.
 */
export function truncateMetrics(file: string, step: number): void {
  const kept = readMetrics(file).filter((l) => l.step <= step);
  writeFileAtomic(file, kept.map((l) => JSON.stringify(l)).join('\n') + (kept.length ? '\n' : ''));
}

export function appendMetrics(file: string, line: MetricsLine): void {
  appendJsonl(file, line);
}

export { writeJsonAtomic };

/**
 * The hash a recorded run is identified by now: recomputed from its config.json, so runs recorded while
 * display labels were part of the hash (their `configHash` field still says so) match their grid slot.
 */
export function storedConfigHash(config: RunConfigFile): string {
  return configHash(config.config);
}

export interface LoadedRun {
  runId: string;
  dir: string;
  config: RunConfigFile | null;
  result: RunResult | null;
  metrics: MetricsLine[];
  /** Why a file could not be read; a run with problems is shown as such, never silently dropped. */
  problems: string[];
  /** result.json says `running` but no live process holds the run's lock: it was killed. */
  interrupted: boolean;
}

export function loadRun(dir: string): LoadedRun {
  const run: LoadedRun = { runId: path.basename(dir), dir, config: null, result: null, metrics: [], problems: [], interrupted: false };
  const attempt = <T>(file: string, read: (f: string) => T): T | null => {
    if (!fs.existsSync(file)) {
      run.problems.push(`${path.basename(file)} is missing`);
      return null;
    }
    try {
      return read(file);
    } catch (err) {
      run.problems.push((err as Error).message);
      return null;
    }
  };
  run.config = attempt(path.join(dir, 'config.json'), readRunConfig);
  run.result = attempt(path.join(dir, 'result.json'), readResult);
  run.metrics = attempt(path.join(dir, 'metrics.jsonl'), (f) => readMetrics(f, (p) => run.problems.push(p))) ?? [];
  run.interrupted = run.result?.status === 'running' && !lockHolder(dir)?.live;
  return run;
}

/** Whether a folder under runs/<experiment>/ may hold a run (not hidden, not the Slurm submissions). */
export function isRunFolderName(name: string): boolean {
  return !name.startsWith('.') && name !== SLURM_FOLDER;
}

/** Every run folder of an experiment under a runs root (hidden folders and `slurm/` are skipped). */
export function listRuns(runsRoot: string, experiment: string): LoadedRun[] {
  const dir = path.join(runsRoot, experiment);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && isRunFolderName(d.name))
    .map((d) => loadRun(path.join(dir, d.name)))
    .sort((a, b) => a.runId.localeCompare(b.runId));
}
