import * as fs from 'node:fs';
import * as path from 'node:path';
import { appendMetrics, readResult, runPaths, truncateMetrics, writeJsonAtomic } from '@unpool/results';
import type { MetricsLine, ResolvedRun, RunConfigFile, RunResult, RunStatus } from '@unpool/results';
import { DivergedError } from './train/train_loop.js';
import { NonFiniteOutputError } from './evaluate.js';

/**
 * What the stages of a run report to, and nothing else writes: the run's config, its metrics, the
 * artifacts it leaves and its status (as MLflow's tracking API separates them from the training code).
 * The status rules live here, once: a run is `completed` only through `complete`, after its final weights
 * were checked; a non-finite loss, weight or prediction makes it `diverged` at the step it happened.
 */
export interface RunTracker {
  config(file: RunConfigFile): void;
  /** Keeps the metrics up to `step` (0: none), dropping what a killed attempt logged past its checkpoint. */
  rewindMetrics(step: number): void;
  metric(line: MetricsLine): void;
  /** Writes an artifact (a path relative to the run folder) and records it in the result. */
  artifact(name: string, write: (file: string) => void | Promise<void>): Promise<void>;
  running(progress: RunProgress): void;
  complete(progress: RunProgress, evals: RunResult['evals'], costs: RunResult['costs']): RunResult;
  /** Records why the run stopped: diverged (with its step) or failed. */
  fail(progress: RunProgress, err: unknown): RunResult;
}

export interface RunProgress {
  step: number;
  startedAt: string;
  wallSeconds: number;
}

/** `diverged` for a non-finite loss, weight or output, else `failed`; and the step to record. */
function failureStatus(err: unknown, step: number): { status: RunStatus; step: number } {
  if (err instanceof DivergedError) return { status: 'diverged', step: err.step };
  if (err instanceof NonFiniteOutputError) return { status: 'diverged', step };
  return { status: 'failed', step };
}

/** Whether a run folder holds a completed result for exactly this config, with every artifact it lists. */
export function completedResult(runsRoot: string, run: ResolvedRun): { result: RunResult | null; missing: string[] } {
  const paths = runPaths(runsRoot, run.config.experiment, run.runId);
  let result: RunResult;
  try {
    result = readResult(paths.result);
  } catch {
    return { result: null, missing: [] };
  }
  if (result.status !== 'completed' || result.configHash !== run.configHash) return { result: null, missing: [] };
  const missing = (result.artifacts ?? []).filter((a) => !fs.existsSync(path.join(paths.dir, a)));
  return { result, missing };
}

/** The tracker of one run folder (runs/<experiment>/<runId>/). */
export class FolderTracker implements RunTracker {
  private readonly paths: ReturnType<typeof runPaths>;
  private readonly artifacts: string[] = [];

  constructor(runsRoot: string, private readonly run: ResolvedRun) {
    this.paths = runPaths(runsRoot, run.config.experiment, run.runId);
  }

  config(file: RunConfigFile): void {
    writeJsonAtomic(this.paths.config, file);
  }

  rewindMetrics(step: number): void {
    if (step > 0) truncateMetrics(this.paths.metrics, step);
    else fs.rmSync(this.paths.metrics, { force: true });
  }

  metric(line: MetricsLine): void {
    appendMetrics(this.paths.metrics, line);
  }

  async artifact(name: string, write: (file: string) => void | Promise<void>): Promise<void> {
    await write(path.join(this.paths.dir, name));
    if (!this.artifacts.includes(name)) this.artifacts.push(name);
  }

  running(progress: RunProgress): void {
    this.write({ ...this.base(progress), status: 'running', error: null });
  }

  complete(progress: RunProgress, evals: RunResult['evals'], costs: RunResult['costs']): RunResult {
    return this.write({ ...this.base(progress), status: 'completed', error: null, finishedAt: new Date().toISOString(), evals, costs, artifacts: this.artifacts });
  }

  fail(progress: RunProgress, err: unknown): RunResult {
    const { status, step } = failureStatus(err, progress.step);
    const error = err instanceof Error ? err.message : String(err);
    const result: RunResult = { ...this.base({ ...progress, step }), status, error, finishedAt: new Date().toISOString() };
    try {
      return this.write(result);
    } catch {
      // The original error matters more than a failure to record it.
      return result;
    }
  }

  private base(p: RunProgress): Omit<RunResult, 'status' | 'error'> {
    const r = this.run;
    return {
      ...runIdentity(r),
      step: p.step,
      steps: r.config.steps,
      startedAt: p.startedAt,
      finishedAt: null,
      wallSeconds: p.wallSeconds,
      evals: {},
      costs: null,
    };
  }

  private write(result: RunResult): RunResult {
    writeJsonAtomic(this.paths.result, result);
    return result;
  }
}

/** The fields that name a run, shared by config.json and result.json. */
export function runIdentity(run: ResolvedRun) {
  return {
    schemaVersion: 1 as const,
    experiment: run.config.experiment,
    runId: run.runId,
    variant: run.config.variant.name,
    seed: run.config.seed,
    preset: run.preset,
    configHash: run.configHash,
  };
}
