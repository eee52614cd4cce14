import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { createSegNet, paramCount, saveSegNet, type SegNet } from '@unpool/models';
import { makeBatch } from '@unpool/datasets';
import { writeJsonAtomic, type Costs, type EvalScores, type ResolvedRun, type SamplesIndex } from '@unpool/results';
import { restoreCheckpoint, saveCheckpoint, type CheckpointMeta } from './checkpoint.js';
import { evaluate, NonFiniteOutputError } from './evaluate.js';
import type { SegNetEngine } from './engine/segnet_engine.js';
import { openData, trainBatches, trainingFrequencies } from './data_source.js';
import { writeSamples } from './sample_images.js';
import { unpoolBytesPerImage } from './unpool_memory.js';
import type { ProgressLine } from './progress.js';
import { Optimizer } from './train/optimizer.js';
import { medianFrequencyWeights, uniformWeights } from './train/class_weights.js';
import { profileTrainStep } from './train/profile_train_step.js';
import { DivergedError, trainLoop } from './train/train_loop.js';
import type { RunTracker } from './run_tracker.js';

/**
 * The stages of one run, in order: prepare data, restore, train, final evaluation, artifacts, costs. Each
 * reads and extends the run's state and reports to the tracker; none decides the run's status.
 */
export interface RunState {
  run: ResolvedRun;
  checkpointDir: string;
  tracker: RunTracker;
  engine: SegNetEngine;
  progress: ProgressLine;
  label: string;
  model: SegNet | null;
  optimizer: Optimizer | null;
  meta: CheckpointMeta;
  /** performance.now() when `meta.elapsedSeconds` was last brought up to date. */
  clockStart: number;
  afterCheckpoint?: (step: number, runId: string) => void | Promise<void>;
}

export const elapsed = (s: RunState) => s.meta.elapsedSeconds + (performance.now() - s.clockStart) / 1000;

const median = (xs: number[]) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export type Data = ReturnType<typeof prepareData>;

export function prepareData(s: RunState) {
  const c = s.run.config;
  const train = openData(c.data.train, c.data.train.size, c.height, c.width);
  const evalSets = c.data.eval.map((e) => ({ ...e, dataset: openData(e.data, e.size, c.height, c.width) }));
  return { train, evalSets };
}

/**
 * Restores the newest readable checkpoint, else starts from step 0 with a fresh model, saying loudly why
 * when checkpoints had to be skipped; the metrics are rewound to the step resumed from.
 */
export function restore(s: RunState): void {
  const c = s.run.config;
  s.model = createSegNet(c.model, c.seed);
  s.optimizer = new Optimizer(c.optimizer);
  const { meta, skipped } = restoreCheckpoint(s.checkpointDir, s.run.configHash, s.model, s.optimizer);
  for (const why of skipped) s.progress.done(`[${s.label}] WARNING: checkpoint not usable, removed: ${why}`);
  if (meta) {
    s.meta = meta;
    s.progress.done(`[${s.label}] resuming from checkpoint at step ${meta.step}/${c.steps}`);
  } else {
    // A failed restore may have written part of a checkpoint into the variables: start from a clean init.
    s.model.dispose();
    s.optimizer.dispose();
    s.model = createSegNet(c.model, c.seed);
    s.optimizer = new Optimizer(c.optimizer);
    if (skipped.length) s.progress.done(`[${s.label}] WARNING: no readable checkpoint left, restarting from step 0`);
  }
  s.clockStart = performance.now();
  s.tracker.rewindMetrics(s.meta.step);
}

export async function train(s: RunState, data: Data): Promise<void> {
  const c = s.run.config;
  const model = s.model!;
  const frequencies = trainingFrequencies(data.train, Math.min(data.train.size, 200));
  const weights = c.classWeights === 'median-frequency' ? medianFrequencyWeights(frequencies, c.voidAsClass) : uniformWeights(c.model.classes, c.voidAsClass);
  const source = trainBatches(data.train, c.batchSize, c.seed, c.flip);
  if (s.meta.peakTrainBytes === null) {
    const first = source.batch(0);
    s.meta.peakTrainBytes = (await profileTrainStep(model, first, weights)).peakBytes;
    tf.dispose([first.images, first.labels]);
  }
  let lastMiou: number | null | undefined;
  const spec = { steps: c.steps, schedule: c.schedule, classWeights: weights, seed: c.seed, logEvery: s.run.ops.logEvery, evalEvery: c.evalEvery, checkpointEvery: s.run.ops.checkpointEvery };
  await trainLoop(model, s.optimizer!, source, spec, s.meta.step, s.engine, {
    onLog: (e) => {
      s.meta.stepSeconds.push(e.secondsPerStep);
      s.tracker.metric({ type: 'train', step: e.step, loss: e.loss, lr: e.lr, secondsPerStep: e.secondsPerStep, time: elapsed(s) });
      s.progress.update({ label: s.label, step: e.step, steps: c.steps, loss: e.loss, miou: lastMiou, secondsPerStep: median(s.meta.stepSeconds.slice(-20)) ?? undefined });
    },
    onDiverged: (e) => {
      s.tracker.metric({ type: 'train', step: e.step, loss: null, lr: e.lr, secondsPerStep: e.secondsPerStep, time: elapsed(s) });
    },
    onEval: async (step) => {
      const first = data.evalSets[0];
      const options = { count: c.curveEvalSize, batchSize: c.batchSize, mcSamples: c.curveMcSamples, seed: c.seed * 7919 + step, light: true };
      const { scores } = await evaluate(model, first.dataset, options, s.engine).catch((err: unknown) => {
        throw err instanceof NonFiniteOutputError ? new DivergedError(step, null, err.message) : err;
      });
      lastMiou = scores.miou;
      const { miou, miou20Paper, iou, iouVoid, globalAccuracy, mcSamples } = scores;
      s.tracker.metric({ type: 'eval', step, set: first.name, mcSamples, miou, miou20Paper, iou, iouVoid, globalAccuracy, time: elapsed(s) });
      s.progress.update({ label: s.label, step, steps: c.steps, miou: scores.miou, phase: 'eval' }, true);
    },
    onCheckpoint: async (step) => {
      s.meta = { ...s.meta, step, optimizerT: s.optimizer!.t, elapsedSeconds: elapsed(s) };
      // Re-base the clock: elapsed() = checkpointed seconds + time since this checkpoint.
      s.clockStart = performance.now();
      await saveCheckpoint(s.checkpointDir, model, s.optimizer!, s.meta);
      await s.afterCheckpoint?.(step, s.run.runId);
    },
  });
  s.meta.step = c.steps;
}

/** Every set, full size, MC sampling at the paper's count for Bayesian variants; keeps the sample images. */
export async function finalEvaluation(s: RunState, data: Data) {
  const c = s.run.config;
  const evals: Record<string, EvalScores> = {};
  const kept: { name: string; images: Awaited<ReturnType<typeof evaluate>>['kept'] }[] = [];
  for (const e of data.evalSets) {
    s.progress.update({ label: s.label, step: c.steps, steps: c.steps, phase: `final eval ${e.name} (${c.mcSamples} pass${c.mcSamples > 1 ? 'es' : ''})` }, true);
    const options = { count: e.size, batchSize: c.batchSize, mcSamples: c.mcSamples, seed: c.seed * 104729 + 1, keep: s.run.ops.samples };
    const out = await evaluate(s.model!, e.dataset, options, s.engine);
    evals[e.name] = out.scores;
    if (out.kept.length) kept.push({ name: e.name, images: out.kept });
  }
  return { evals, kept };
}

export async function artifacts(s: RunState, kept: Awaited<ReturnType<typeof finalEvaluation>>['kept']): Promise<void> {
  const c = s.run.config;
  if (kept.length) {
    await s.tracker.artifact(path.join('samples', 'index.json'), (file) => {
      const samples: SamplesIndex = { sets: kept.map((k) => writeSamples(path.dirname(file), k.name, k.images, c.height, c.width, c.model.classes)) };
      writeJsonAtomic(file, samples);
    });
  }
  await s.tracker.artifact(path.join('model', 'manifest.json'), (file) => saveSegNet(s.model!, path.dirname(file)));
}

export async function costs(s: RunState, data: Data, backend: string): Promise<Costs> {
  const c = s.run.config;
  const dataset = data.evalSets[0].dataset;
  const indices = Array.from({ length: Math.min(c.batchSize, dataset.size) }, (_, i) => i);
  const { images, labels } = makeBatch(dataset, indices);
  labels.dispose();
  const predictor = await s.engine.predictor(s.model!);
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
  const placement = s.engine.placement?.() ?? null;
  const bytes = unpoolBytesPerImage(c.model, c.height, c.width);
  return {
    backend,
    engine: s.engine.name,
    params: paramCount(c.model),
    trainMsPerStep: s.meta.stepSeconds.length ? median(s.meta.stepSeconds)! * 1000 : null,
    inferenceMsPerImage: single,
    inferenceMcMsPerImage: mc,
    peakTrainBytes: s.meta.peakTrainBytes,
    unpoolBytesPerImage: bytes.training,
    unpoolInferenceBytesPerImage: bytes.inference,
    ...(placement ? { placement } : {}),
  };
}
