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
 * Median wall time of `fn` over `reps` runs after `warmup` untimed ones. Each run's tensors are
 * disposed; the run ends when the first element of each returned tensor can be read, which on an
 * asynchronous backend means every kernel it depends on has finished (reading one element keeps the
 * download itself out of the timing).
 */
export async function timeTensorFn(fn: () => tf.Tensor | tf.Tensor[], options: TimingOptions): Promise<Timing> {
  const samplesMs: number[] = [];
  for (let i = 0; i < options.warmup + options.reps; i++) {
    const start = performance.now();
    const out = tf.tidy(fn);
    const outs = Array.isArray(out) ? out : [out];
    const probes = tf.tidy(() => outs.map((t) => tf.slice(t.reshape([-1]), 0, 1)));
    await Promise.all(probes.map((p) => p.data()));
    const ms = performance.now() - start;
    tf.dispose([...outs, ...probes]);
    if (i >= options.warmup) samplesMs.push(ms);
  }
  return { medianMs: median(samplesMs), samplesMs };
}
