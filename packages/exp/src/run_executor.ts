import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { createSegNet, paramCount, saveSegNet, type SegNet } from '@unpool/models';
import { makeBatch } from '@unpool/datasets';
import { appendMetrics, readResult, runPaths, truncateMetrics, writeJsonAtomic } from './run_store.js';
import { acquireRunLock } from './run_lock.js';
import { checkpointMeta, loadCheckpoint, saveCheckpoint, type CheckpointMeta } from './checkpoint.js';
import { evaluate } from './evaluate.js';
import { createEngine } from './engine/create_engine.js';
import type { EngineChoice, SegNetEngine } from './engine/segnet_engine.js';
import { openData, trainBatches, trainingFrequencies } from './data_source.js';
import { writeSamples } from './sample_images.js';
import { unpoolBytesPerImage } from './unpool_memory.js';
import { gitState, machineInfo, packageVersions } from './provenance.js';
import { ProgressLine, formatDuration } from './progress.js';
import { Optimizer } from './train/optimizer.js';
import { medianFrequencyWeights, uniformWeights } from './train/class_weights.js';
import { profileTrainStep } from './train/profile_train_step.js';
import { DivergedError, trainLoop } from './train/train_loop.js';
import type { ResolvedRun } from './grid.js';
import type { Costs, EvalScores, RunConfigFile, RunResult, SamplesIndex } from './results_schema.js';

export interface ExecuteContext {
  runsRoot: string;
  /** The active tfjs backend and its details, for provenance. */
  backend: Record<string, unknown> & { name: string };
  /** What computes training steps and inference (default auto: see resolveEngine). */
  engine?: EngineChoice;
  /** ONNX Runtime intra-op threads (default: all cores). */
  threads?: number;
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

const median = (xs: number[]) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Whether a run folder already holds a completed result for exactly this config. */
export function isCompleted(runsRoot: string, run: ResolvedRun): boolean {
  const file = runPaths(runsRoot, run.config.experiment, run.runId).result;
  if (!fs.existsSync(file)) return false;
  try {
    const r = readResult(file);
    return r.status === 'completed' && r.configHash === run.configHash;
  } catch {
    return false;
  }
}

/**
 * Trains and evaluates one run in its folder, resuming from its checkpoint when there is one. Failures
 * are recorded in result.json (failed / diverged) and returned, not thrown, so the grid goes on.
 */
export async function executeRun(run: ResolvedRun, ctx: ExecuteContext): Promise<RunOutcome> {
  const paths = runPaths(ctx.runsRoot, run.config.experiment, run.runId);
  if (isCompleted(ctx.runsRoot, run)) return { runId: run.runId, status: 'skipped', result: readResult(paths.result) };
  const release = acquireRunLock(paths.dir);
  // Another process may have finished it between the check and the lock (parallel jobs share the grid).
  if (isCompleted(ctx.runsRoot, run)) {
    release();
    return { runId: run.runId, status: 'skipped', result: readResult(paths.result) };
  }
  const progress = ctx.progress ?? new ProgressLine();
  const label = `${ctx.position} ${run.runId}`;
  const c = run.config;
  let model: SegNet | null = null;
  const engine = createEngine(ctx.engine ?? 'auto', c.model, { threads: ctx.threads });
  const optimizer = new Optimizer(c.optimizer);
  let sessionStart = performance.now();
  let meta: CheckpointMeta = {
    kind: 'segnet-checkpoint',
    configHash: run.configHash,
    step: 0,
    optimizerT: 0,
    elapsedSeconds: 0,
    stepSeconds: [],
    peakTrainBytes: null,
    startedAt: new Date().toISOString(),
  };
  const elapsed = () => meta.elapsedSeconds + (performance.now() - sessionStart) / 1000;
  let lastMiou: number | null | undefined;
  // The fields that name the run, shared by config.json and result.json.
  const identity = {
    schemaVersion: 1 as const,
    experiment: c.experiment,
    runId: run.runId,
    variant: c.variant.name,
    seed: c.seed,
    preset: run.preset,
    configHash: run.configHash,
  };
  const baseResult = (): Omit<RunResult, 'status' | 'error'> => ({
    ...identity,
    step: meta.step,
    steps: c.steps,
    startedAt: meta.startedAt,
    finishedAt: null,
    wallSeconds: elapsed(),
    evals: {},
    costs: null,
  });
  try {
    const configFile: RunConfigFile = {
      ...identity,
      config: { ...c, operations: run.ops } as unknown as Record<string, unknown>,
      git: ctx.git ?? gitState(),
      backend: ctx.backend,
      engine: { name: engine.name, ...engine.info },
      versions: packageVersions(),
      machine: machineInfo(),
      createdAt: new Date().toISOString(),
    };
    writeJsonAtomic(paths.config, configFile);

    const train = openData(c.data.train, c.data.train.size, c.height, c.width);
    const evalSets = c.data.eval.map((e) => ({ ...e, dataset: openData(e.data, e.size, c.height, c.width) }));
    model = createSegNet(c.model, c.seed);
    const existing = checkpointMeta(paths.checkpoint);
    if (existing && existing.configHash === run.configHash) {
      meta = loadCheckpoint(paths.checkpoint, model, optimizer);
      truncateMetrics(paths.metrics, meta.step);
      progress.done(`[${label}] resuming from checkpoint at step ${meta.step}/${c.steps}`);
    } else {
      if (existing) fs.rmSync(paths.checkpoint, { recursive: true, force: true });
      fs.rmSync(paths.metrics, { force: true });
    }
    writeJsonAtomic(paths.result, { ...baseResult(), status: 'running', error: null } satisfies RunResult);

    const frequencies = trainingFrequencies(train, Math.min(train.size, 200));
    const weights =
      c.classWeights === 'median-frequency'
        ? medianFrequencyWeights(frequencies, c.voidAsClass)
        : uniformWeights(c.model.classes, c.voidAsClass);
    const source = trainBatches(train, c.batchSize, c.seed, c.flip);
    if (meta.peakTrainBytes === null) {
      const first = source.batch(0);
      meta.peakTrainBytes = (await profileTrainStep(model, first, weights)).peakBytes;
      tf.dispose([first.images, first.labels]);
    }

    await trainLoop(
      model,
      optimizer,
      source,
      {
        steps: c.steps,
        schedule: c.schedule,
        classWeights: weights,
        seed: c.seed,
        logEvery: run.ops.logEvery,
        evalEvery: c.evalEvery,
        checkpointEvery: run.ops.checkpointEvery,
      },
      meta.step,
      engine,
      {
        onLog: (e) => {
          meta.stepSeconds.push(e.secondsPerStep);
          appendMetrics(paths.metrics, { type: 'train', step: e.step, loss: e.loss, lr: e.lr, secondsPerStep: e.secondsPerStep, time: elapsed() });
          progress.update({ label, step: e.step, steps: c.steps, loss: e.loss, miou: lastMiou, secondsPerStep: median(meta.stepSeconds.slice(-20)) ?? undefined });
        },
        onEval: async (step) => {
          const first = evalSets[0];
          const { scores } = await evaluate(model!, first.dataset, {
            count: c.curveEvalSize,
            batchSize: c.batchSize,
            mcSamples: c.curveMcSamples,
            seed: c.seed * 7919 + step,
            light: true,
          }, engine);
          lastMiou = scores.miou;
          appendMetrics(paths.metrics, {
            type: 'eval',
            step,
            set: first.name,
            mcSamples: scores.mcSamples,
            miou: scores.miou,
            miou20Paper: scores.miou20Paper,
            iou: scores.iou,
            iouVoid: scores.iouVoid,
            globalAccuracy: scores.globalAccuracy,
            time: elapsed(),
          });
          progress.update({ label, step, steps: c.steps, miou: scores.miou, phase: 'eval' }, true);
        },
        onCheckpoint: async (step) => {
          meta = { ...meta, step, optimizerT: optimizer.t, elapsedSeconds: elapsed() };
          // Re-base the clock: elapsed() = checkpointed seconds + time since this checkpoint.
          sessionStart = performance.now();
          await saveCheckpoint(paths.checkpoint, model!, optimizer, meta);
          await ctx.afterCheckpoint?.(step, run.runId);
        },
      },
    );

    // Final evaluation: every set, full size, MC sampling at the paper's count for Bayesian variants.
    const evals: Record<string, EvalScores> = {};
    const samples: SamplesIndex = { sets: [] };
    for (const e of evalSets) {
      progress.update({ label, step: c.steps, steps: c.steps, phase: `final eval ${e.name} (${c.mcSamples} pass${c.mcSamples > 1 ? 'es' : ''})` }, true);
      const out = await evaluate(model, e.dataset, {
        count: e.size,
        batchSize: c.batchSize,
        mcSamples: c.mcSamples,
        seed: c.seed * 104729 + 1,
        keep: run.ops.samples,
      }, engine);
      evals[e.name] = out.scores;
      if (out.kept.length) samples.sets.push(writeSamples(paths.samples, e.name, out.kept, c.height, c.width, c.model.classes));
    }
    if (samples.sets.length) writeJsonAtomic(path.join(paths.samples, 'index.json'), samples);
    await saveSegNet(model, paths.model);
    const costs = await measureCosts(model, evalSets[0].dataset, run, ctx.backend.name, meta, engine);
    const result: RunResult = {
      ...baseResult(),
      step: c.steps,
      status: 'completed',
      error: null,
      finishedAt: new Date().toISOString(),
      evals,
      costs,
    };
    writeJsonAtomic(paths.result, result);
    const summary = Object.entries(evals).map(([k, v]) => `${k} mIoU ${v.miou === null ? '-' : (100 * v.miou).toFixed(1)}%`).join(', ');
    progress.done(`[${label}] completed in ${formatDuration(result.wallSeconds)}: ${summary}`);
    return { runId: run.runId, status: 'completed', result };
  } catch (err) {
    const diverged = err instanceof DivergedError;
    const message = err instanceof Error ? err.message : String(err);
    const result: RunResult = { ...baseResult(), status: diverged ? 'diverged' : 'failed', error: message, finishedAt: new Date().toISOString() };
    try {
      writeJsonAtomic(paths.result, result);
    } catch {
      // The original error matters more than a failure to record it.
    }
    progress.done(`[${label}] ${result.status}: ${message}`);
    return { runId: run.runId, status: result.status, result, error: message };
  } finally {
    model?.dispose();
    optimizer.dispose();
    await engine.dispose();
    release();
  }

}

async function measureCosts(
  model: SegNet,
  dataset: ReturnType<typeof openData>,
  run: ResolvedRun,
  backend: string,
  meta: CheckpointMeta,
  engine: SegNetEngine,
): Promise<Costs> {
  const c = run.config;
  const indices = Array.from({ length: Math.min(c.batchSize, dataset.size) }, (_, i) => i);
  const { images, labels } = makeBatch(dataset, indices);
  labels.dispose();
  const predictor = await engine.predictor(model);
  const time = async (mcSamples: number, reps: number) => {
    const times: number[] = [];
    for (let r = 0; r < reps + 1; r++) {
      const t0 = performance.now();
      const p = await predictor.probs(images, { mcSamples, seed: r });
      await p.data();
      p.dispose();
      if (r > 0) times.push((performance.now() - t0) / indices.length);
    }
    return median(times);
  };
  const single = await time(1, 3);
  const mc = c.model.bayesian ? await time(c.mcSamples, 1) : null;
  images.dispose();
  await predictor.release();
  const bytes = unpoolBytesPerImage(c.model, c.height, c.width);
  return {
    backend,
    engine: engine.name,
    params: paramCount(c.model),
    trainMsPerStep: meta.stepSeconds.length ? median(meta.stepSeconds)! * 1000 : null,
    inferenceMsPerImage: single,
    inferenceMcMsPerImage: mc,
    peakTrainBytes: meta.peakTrainBytes,
    unpoolBytesPerImage: bytes.training,
    unpoolInferenceBytesPerImage: bytes.inference,
  };
}
