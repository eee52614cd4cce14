import * as tf from '@tensorflow/tfjs';

export interface TimingOptions {
  warmup: number;
  reps: number;
}

export interface Timing {
  medianMs: number;
  /** Every timed repetition, in run order (warm-up excluded). */
  samplesMs: number[];
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Waits until the first element of each tensor can be read, which on an asynchronous backend means every
 * kernel it depends on has finished (reading one element keeps the download itself out of the timing),
 * then disposes them.
 */
async function settle(out: tf.Tensor | tf.Tensor[]): Promise<void> {
  const outs = Array.isArray(out) ? out : [out];
  const probes = tf.tidy(() => outs.map((t) => tf.slice(t.reshape([-1]), 0, 1)));
  await Promise.all(probes.map((p) => p.data()));
  tf.dispose([...outs, ...probes]);
}

async function timeRuns(run: () => Promise<void>, options: TimingOptions): Promise<Timing> {
  const samplesMs: number[] = [];
  for (let i = 0; i < options.warmup + options.reps; i++) {
    const start = performance.now();
    await run();
    if (i >= options.warmup) samplesMs.push(performance.now() - start);
  }
  return { medianMs: median(samplesMs), samplesMs };
}

/**
 * Median wall time of `fn` over `reps` runs after `warmup` untimed ones; each run's tensors (intermediates
 * included, through tf.tidy) are disposed, and a run ends when its results are computed (see settle).
 */
export function timeTensorFn(fn: () => tf.Tensor | tf.Tensor[], options: TimingOptions): Promise<Timing> {
  return timeRuns(() => settle(tf.tidy(fn)), options);
}

/** As timeTensorFn for an asynchronous producer (which disposes its own intermediates). */
export function timeAsyncTensorFn(fn: () => Promise<tf.Tensor | tf.Tensor[]>, options: TimingOptions): Promise<Timing> {
  return timeRuns(async () => settle(await fn()), options);
}
