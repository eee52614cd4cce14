/**
 * Comparison helpers for tests that hold one implementation of the model's arithmetic to another (tfjs
 * backends, ONNX Runtime execution providers, engines). Plain array code: importing it loads no engine.
 * Exported as `@unpool/models/testing` so every package's tests share one copy.
 */

/** Cosine of the angle between `a` and `b` (1 when both are all zeros). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 && nb === 0 ? 1 : dot / Math.sqrt(na * nb);
}

/** max |a - b| relative to max |a|. */
export function relMaxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(a[i]));
  }
  return d / Math.max(m, 1e-12);
}
