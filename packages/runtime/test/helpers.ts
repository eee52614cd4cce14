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

export function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** max |a - b| / max |b|: the error relative to the reference's scale, robust to entries near zero. */
export function relativeError(actual: ArrayLike<number>, reference: ArrayLike<number>): number {
  if (actual.length !== reference.length) {
    throw new Error(`relativeError: lengths differ (${actual.length} vs ${reference.length})`);
  }
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < reference.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - reference[i]));
    scale = Math.max(scale, Math.abs(reference[i]));
  }
  if (!Number.isFinite(diff)) return Infinity;
  return scale === 0 ? diff : diff / scale;
}

/**
 * Runs `fn` with the given kernel configs registered instead of the current ones, then restores them.
 * Lets a test compute a reference with a backend's stock kernel after this package replaced it.
 */
export function withKernels<T>(configs: tf.KernelConfig[], fn: () => T): T {
  const previous = configs.map((c) => tf.getKernel(c.kernelName, c.backendName));
  const install = (c: tf.KernelConfig) => {
    if (tf.getKernel(c.kernelName, c.backendName) !== undefined) tf.unregisterKernel(c.kernelName, c.backendName);
    tf.registerKernel(c);
  };
  configs.forEach(install);
  try {
    return fn();
  } finally {
    configs.forEach((c, i) => {
      const p = previous[i];
      if (p !== undefined) install(p);
      else tf.unregisterKernel(c.kernelName, c.backendName);
    });
  }
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
