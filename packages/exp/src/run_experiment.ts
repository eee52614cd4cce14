import { gitState, resolveRuns, RunLockedError, shardRuns, type Experiment, type GridOptions, type ResolvedRun } from '@unpool/results';
import { executeRun, type ExecuteContext, type RunOutcome } from './run_executor.js';
import { ProgressLine } from './progress.js';
import { verifyPngFile } from '@unpool/datasets';
import { openData } from './data_source.js';

export interface RunExperimentOptions extends GridOptions {
  runsRoot: string;
  backend: ExecuteContext['backend'];
  engine?: ExecuteContext['engine'];
  threads?: ExecuteContext['threads'];
  ep?: ExecuteContext['ep'];
  spinWait?: ExecuteContext['spinWait'];
  shard?: { index: number; count: number };
  progress?: ProgressLine;
  /** Called after each completed (or skipped) run, e.g. for the ONNX cross-check. */
  afterRun?: (run: ResolvedRun, outcome: RunOutcome) => Promise<void>;
  afterCheckpoint?: ExecuteContext['afterCheckpoint'];
  /** The caller already ran preflightData on this grid (an `exp run --jobs n` child): skip it here. */
  dataChecked?: boolean;
}

/**
 * Runs an experiment's grid (or one shard of it) sequentially: completed runs with the same config hash
 * are skipped, interrupted ones resume, a run locked by another process is left to it, and a failed or
 * diverged run does not stop the others.
 */
export async function runExperiment(experiment: Experiment, options: RunExperimentOptions): Promise<{ runs: ResolvedRun[]; outcomes: RunOutcome[] }> {
  let runs = resolveRuns(experiment, options);
  if (options.shard) runs = shardRuns(runs, options.shard.index, options.shard.count);
  if (!options.dataChecked) preflightData(runs);
  const progress = options.progress ?? new ProgressLine();
  const git = gitState();
  const outcomes: RunOutcome[] = [];
  for (const [i, run] of runs.entries()) {
    let outcome: RunOutcome;
    try {
      outcome = await executeRun(run, {
        runsRoot: options.runsRoot,
        backend: options.backend,
        engine: options.engine,
        threads: options.threads,
        ep: options.ep,
        spinWait: options.spinWait,
        position: `${i + 1}/${runs.length}`,
        git,
        progress,
        afterCheckpoint: options.afterCheckpoint,
      });
    } catch (err) {
      if (!(err instanceof RunLockedError)) throw err;
      progress.done(`[${i + 1}/${runs.length} ${run.runId}] running elsewhere, left to it: ${err.message}`);
      outcome = { runId: run.runId, status: 'skipped', result: null, error: err.message };
    }
    if (outcome.status === 'skipped' && outcome.result) progress.done(`[${i + 1}/${runs.length} ${run.runId}] already completed, skipped`);
    if (outcome.result?.status === 'completed') await options.afterRun?.(run, outcome);
    outcomes.push(outcome);
  }
  return { runs, outcomes };
}

/**
 * Opens every data set the runs need once before anything is written and checks each of its files (see
 * verifyPngFile), so a missing root or a broken file fails the command up front, naming the path, instead
 * of failing every run. `exp run --jobs n` calls it once before starting its jobs, which then skip it (`dataChecked`).
 */
export function preflightData(runs: ResolvedRun[]): void {
  const seen = new Set<string>();
  const checked = new Set<string>();
  for (const { config: c } of runs) {
    for (const [what, ref, size] of [['training data', c.data.train, c.data.train.size], ...c.data.eval.map((e) => [`evaluation set '${e.name}'`, e.data, e.size] as const)] as const) {
      const key = JSON.stringify([ref, c.height, c.width]);
      if (seen.has(key)) continue;
      seen.add(key);
      try {
        const files = openData(ref, size, c.height, c.width).files ?? [];
        files.forEach((f, i) => {
          if (!checked.has(f)) verifyPngFile(f);
          checked.add(f);
          if (i % 500 === 499) process.stderr.write(`preflight: ${i + 1}/${files.length} files of ${what} checked\n`);
        });
      } catch (err) {
        throw new Error(`${what} of experiment '${c.experiment}': ${(err as Error).message}`);
      }
    }
  }
}
