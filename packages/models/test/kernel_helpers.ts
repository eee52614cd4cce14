import * as tf from '@tensorflow/tfjs';

/** Deterministic uniform numbers in [-1, 1) (mulberry32), so every backend sees the same inputs. */
export function randomValues(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** max |a - b| / max |b|: the error relative to the reference's scale, robust to entries near zero. */
export function relativeError(actual: ArrayLike<number>, reference: ArrayLike<number>): number {
  if (actual.length !== reference.length) throw new Error(`relativeError: lengths differ (${actual.length} vs ${reference.length})`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < reference.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - reference[i]));
    scale = Math.max(scale, Math.abs(reference[i]));
  }
  if (!Number.isFinite(diff)) return Infinity;
  return scale === 0 ? diff : diff / scale;
}

/** Like tf.tidy for functions that return plain data: disposes every tensor made inside `fn`. */
export function scoped<T>(fn: () => T): T {
  tf.engine().startScope();
  try {
    return fn();
  } finally {
    tf.engine().endScope();
  }
}
