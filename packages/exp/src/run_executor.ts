import { acquireRunLock, gitState, machineInfo, packageVersions, runPaths, type ResolvedRun, type RunConfigFile, type RunResult } from '@unpool/results';
import { createEngine } from './engine/create_engine.js';
import type { EngineChoice } from './engine/segnet_engine.js';
import { ProgressLine, formatDuration } from './progress.js';
import { completedResult, FolderTracker, runIdentity } from './run_tracker.js';
import { artifacts, costs, elapsed, finalEvaluation, prepareData, restore, train, type RunState } from './run_stages.js';

export interface ExecuteContext {
  runsRoot: string;
  /** The active tfjs backend and its details, for provenance. */
  backend: Record<string, unknown> & { name: string };
  /** What computes training steps and inference (default auto: see resolveEngine). */
  engine?: EngineChoice;
  /** ONNX Runtime intra-op threads (default: all cores). */
  threads?: number;
  /** ONNX Runtime execution provider (default cpu). */
  ep?: string;
  /** The process has its cores to itself (`exp run`): ONNX Runtime's CPU workers spin-wait (`EngineOptions`). */
  spinWait?: boolean;
  /** e.g. "2/5", shown in the progress line. */
  position: string;
  /**
   * The commit and dirty flag of the code this process runs: read once at start-up, since edits made to
   * the tree while a long grid runs do not change the code already loaded.
   */
  git?: ReturnType<typeof gitState>;
  progress?: ProgressLine;
  /** Test hook: called after each checkpoint (lets a test kill a run mid-way). */
  afterCheckpoint?: (step: number, runId: string) => void | Promise<void>;
}

export type RunOutcome = { runId: string; status: RunResult['status'] | 'skipped'; result: RunResult | null; error?: string };

/**
 * Trains and evaluates one run in its folder through its stages, resuming from its checkpoint when there
 * is one. A completed run missing an artifact is redone from its last checkpoint. Failures are recorded
 * in result.json (failed / diverged) and returned, not thrown, so the grid goes on.
 */
export async function executeRun(run: ResolvedRun, ctx: ExecuteContext): Promise<RunOutcome> {
  const paths = runPaths(ctx.runsRoot, run.config.experiment, run.runId);
  const progress = ctx.progress ?? new ProgressLine();
  const label = `${ctx.position} ${run.runId}`;
  const skipped = ({ result, missing }: ReturnType<typeof completedResult>): RunOutcome | null =>
    result && !missing.length ? { runId: run.runId, status: 'skipped', result } : null;
  const before = completedResult(ctx.runsRoot, run);
  const done = skipped(before);
  if (done) return done;
  if (before.result) progress.done(`[${label}] completed, but ${before.missing.join(', ')} is missing: redoing its final stages`);
  const release = acquireRunLock(paths.dir);
  // Another process may have finished it between the check and the lock (parallel jobs share the grid).
  const raced = skipped(completedResult(ctx.runsRoot, run));
  if (raced) {
    release();
    return raced;
  }
  const c = run.config;
  const engine = createEngine(ctx.engine ?? 'auto', c.model, { threads: ctx.threads, ep: ctx.ep, spinWait: ctx.spinWait });
  const tracker = new FolderTracker(ctx.runsRoot, run);
  const s: RunState = {
    run,
    checkpointDir: paths.checkpoint,
    tracker,
    engine,
    progress,
    label,
    model: null,
    optimizer: null,
    meta: { kind: 'segnet-checkpoint', configHash: run.configHash, step: 0, optimizerT: 0, elapsedSeconds: 0, stepSeconds: [], peakTrainBytes: null, startedAt: new Date().toISOString() },
    clockStart: performance.now(),
    afterCheckpoint: ctx.afterCheckpoint,
  };
  const now = () => ({ step: s.meta.step, startedAt: s.meta.startedAt, wallSeconds: elapsed(s) });
  try {
    tracker.config(configFile(run, ctx, engine));
    const data = prepareData(s);
    restore(s);
    tracker.running(now());
    await train(s, data);
    const { evals, kept } = await finalEvaluation(s, data);
    await artifacts(s, kept);
    const result = tracker.complete(now(), evals, await costs(s, data, ctx.backend.name));
    const summary = Object.entries(evals).map(([k, v]) => `${k} mIoU ${v.miou === null ? '-' : (100 * v.miou).toFixed(1)}%`).join(', ');
    progress.done(`[${label}] completed in ${formatDuration(result.wallSeconds)}: ${summary}`);
    return { runId: run.runId, status: 'completed', result };
  } catch (err) {
    const result = tracker.fail(now(), err);
    progress.done(`[${label}] ${result.status}: ${result.error}`);
    return { runId: run.runId, status: result.status, result, error: result.error ?? undefined };
  } finally {
    s.model?.dispose();
    s.optimizer?.dispose();
    await engine.dispose();
    release();
  }
}

function configFile(run: ResolvedRun, ctx: ExecuteContext, engine: ReturnType<typeof createEngine>): RunConfigFile {
  return {
    ...runIdentity(run),
    config: { ...run.config, operations: run.ops } as unknown as Record<string, unknown>,
    git: ctx.git ?? gitState(),
    backend: ctx.backend,
    engine: { name: engine.name, ...engine.info },
    versions: packageVersions(),
    machine: machineInfo(),
    createdAt: new Date().toISOString(),
  };
}
