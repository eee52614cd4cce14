import * as tf from '@tensorflow/tfjs';
import { siteSeed, type SegNet } from '@unpool/models';
import type { SegNetEngine } from '../engine/segnet_engine.js';
import { learningRate, type LrSchedule } from './lr_schedule.js';
import type { Optimizer } from './optimizer.js';

/** Produces the batch for a step as a pure function of the step, so a resumed run sees the same data. */
export interface BatchSource {
  batch(step: number): { images: tf.Tensor4D; labels: tf.Tensor3D };
}

export interface TrainSpec {
  steps: number;
  schedule: LrSchedule;
  /** One weight per logit channel (void last); see class_weights.ts. */
  classWeights: number[];
  seed: number;
  logEvery: number;
  evalEvery: number;
  checkpointEvery: number;
}

export interface LogEvent {
  step: number;
  loss: number;
  lr: number;
  /** Seconds per step over the steps since the previous log line. */
  secondsPerStep: number;
}

export interface TrainHooks {
  onLog?(event: LogEvent): void | Promise<void>;
  /** After step `step` (1-based count of completed steps). */
  onEval?(step: number): void | Promise<void>;
  onCheckpoint?(step: number): void | Promise<void>;
  /** The step whose loss was not finite, before the DivergedError is thrown (so it can be recorded). */
  onDiverged?(event: LogEvent): void | Promise<void>;
}

/** A non-finite loss or weight: the run is recorded `diverged` at `step`, never `completed`. */
export class DivergedError extends Error {
  constructor(readonly step: number, readonly loss: number | null, reason = `loss is ${loss}`) {
    super(`training diverged at step ${step}: ${reason}`);
  }
}

/**
 * Runs steps [startStep, spec.steps) of training. Everything random is a function of (seed, step): data
 * order (the BatchSource), dropout masks (siteSeed(seed, step)), so stopping after any checkpoint and
 * resuming reproduces the uninterrupted trajectory. Every step's loss is checked (read back in one batch at
 * each log, evaluation or checkpoint point) and every weight after the last update, so a model that ends
 * non-finite is never handed on as trained. The engine's
 * trainer holds the state between steps; it is synced into the model at every evaluation and checkpoint,
 * the last step included.
 */
export async function trainLoop(
  model: SegNet,
  optimizer: Optimizer,
  source: BatchSource,
  spec: TrainSpec,
  startStep: number,
  engine: SegNetEngine,
  hooks: TrainHooks = {},
): Promise<void> {
  if (spec.classWeights.length !== model.config.classes) {
    throw new Error(`train: ${spec.classWeights.length} class weights for a model with ${model.config.classes} outputs`);
  }
  const weights = tf.tensor1d(spec.classWeights);
  const trainer = await engine.trainer(model, optimizer);
  let lastLogTime = performance.now();
  let lastLogStep = startStep;
  // Losses since the last read-back, checked together: one sync per log, evaluation or checkpoint point
  // instead of one per step, yet the first non-finite step is still the one recorded (and nothing is logged,
  // scored or saved after it).
  const pending: { step: number; lr: number; value: tf.Scalar }[] = [];
  const readPending = async (): Promise<LogEvent> => {
    const stacked = tf.stack(pending.map((p) => p.value));
    let values: Float32Array | Int32Array | Uint8Array;
    try {
      values = await stacked.data();
    } finally {
      tf.dispose([stacked, ...pending.map((p) => p.value)]);
    }
    const now = performance.now();
    const event = (i: number): LogEvent => ({
      step: pending[i].step,
      loss: values[i],
      lr: pending[i].lr,
      secondsPerStep: (now - lastLogTime) / 1000 / Math.max(1, pending[pending.length - 1].step - lastLogStep),
    });
    const bad = Array.from(values).findIndex((v) => !Number.isFinite(v));
    const result = event(bad >= 0 ? bad : values.length - 1);
    pending.length = 0;
    if (bad >= 0) {
      await hooks.onDiverged?.(result);
      throw new DivergedError(result.step, result.loss);
    }
    return result;
  };
  try {
    for (let step = startStep; step < spec.steps; step++) {
      const batch = source.batch(step);
      const dropoutSeed = model.config.bayesian ? siteSeed(spec.seed, step) : null;
      const lr = learningRate(optimizer.config.lr, spec.schedule, step, spec.steps);
      try {
        pending.push({ step: step + 1, lr, value: await trainer.step(batch, weights, dropoutSeed, lr) });
      } finally {
        tf.dispose([batch.images, batch.labels]);
      }
      const done = step + 1;
      const logNow = done % spec.logEvery === 0 || done === spec.steps;
      const evalNow = done % spec.evalEvery === 0 || done === spec.steps;
      const checkpointNow = done % spec.checkpointEvery === 0 || done === spec.steps;
      if (!logNow && !evalNow && !checkpointNow) continue;
      const event = await readPending();
      if (logNow) {
        await hooks.onLog?.(event);
        lastLogTime = performance.now();
        lastLogStep = done;
      }
      // The model's variables and the optimizer see the engine's state before anyone reads them.
      if (evalNow || checkpointNow) await trainer.sync();
      // Before the last evaluation and checkpoint: a model that ends non-finite is neither scored nor saved.
      if (done === spec.steps) await assertFiniteWeights(model, done);
      if (evalNow) await hooks.onEval?.(done);
      if (checkpointNow) await hooks.onCheckpoint?.(done);
      if (evalNow || checkpointNow) {
        // Keep evaluation and checkpoint time out of the seconds-per-step figure.
        lastLogTime = performance.now();
        lastLogStep = done;
      }
    }
    // A run resumed at its last step: the checkpoint it restored may come from code that did not check.
    if (startStep >= spec.steps) await assertFiniteWeights(model, startStep);
  } finally {
    tf.dispose(pending.map((p) => p.value));
    weights.dispose();
    await trainer.dispose();
  }
}

/** Throws DivergedError when any parameter (weights and BN statistics) holds NaN or Inf. */
export async function assertFiniteWeights(model: SegNet, step: number): Promise<void> {
  const params = [...model.params.values()];
  const counts = tf.tidy(() => tf.stack(params.map((p) => tf.sum(tf.cast(tf.logicalNot(tf.isFinite(p)), 'int32')))));
  const bad = await counts.data();
  counts.dispose();
  const nonFinite = Array.from(bad as Int32Array).reduce((a, b) => a + b, 0);
  if (nonFinite > 0) {
    const total = params.reduce((a, p) => a + p.size, 0);
    throw new DivergedError(step, null, `${nonFinite} of ${total} stored weights are not finite after the last update`);
  }
}
