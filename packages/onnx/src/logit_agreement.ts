/** How closely two engines' logits agree; all fields finite, so the object serialises to JSON as is. */
export interface LogitAgreement {
  /** max |a - b| over all finite pairs. */
  maxAbsDiff: number;
  /**
   * max |a - b| / max(|a|, |b|, REL_DIFF_FLOOR): relative to the larger magnitude, with a floor so logits
   * near 0 (where any rounding is a huge relative change) do not dominate.
   */
  maxRelDiff: number;
  /** Fraction of pixels whose argmax class (first maximum on ties) is the same in both. */
  argmaxAgreement: number;
  /** Values that are NaN or infinite in either engine without being identical in both. */
  nonFinite: number;
  /** Fraction of the finite value pairs with |a - b| above the comparison's tolerance. */
  overTolerance: number;
  pixels: number;
}

export const REL_DIFF_FLOOR = 1e-3;

function argmax(v: ArrayLike<number>, start: number, classes: number): number {
  let best = start;
  for (let k = start + 1; k < start + classes; k++) if (v[k] > v[best]) best = k;
  return best - start;
}

/**
 * Compares channel-last logits [..., classes] from a reference engine `a` and another engine `b`, counting
 * the values that differ by more than `tolerance`.
 */
export function compareLogits(a: ArrayLike<number>, b: ArrayLike<number>, classes: number, tolerance: number): LogitAgreement {
  if (a.length !== b.length) throw new Error(`compareLogits: ${a.length} reference values vs ${b.length} values`);
  if (!Number.isInteger(classes) || classes < 1 || a.length % classes !== 0) {
    throw new Error(`compareLogits: ${a.length} values do not split into pixels of ${classes} classes`);
  }
  let maxAbsDiff = 0;
  let maxRelDiff = 0;
  let nonFinite = 0;
  let over = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      if (!(x === y)) nonFinite++;
      continue;
    }
    const d = Math.abs(x - y);
    if (d > maxAbsDiff) maxAbsDiff = d;
    if (d > tolerance) over++;
    const r = d / Math.max(Math.abs(x), Math.abs(y), REL_DIFF_FLOOR);
    if (r > maxRelDiff) maxRelDiff = r;
  }
  const pixels = a.length / classes;
  let same = 0;
  for (let p = 0; p < pixels; p++) if (argmax(a, p * classes, classes) === argmax(b, p * classes, classes)) same++;
  const finite = a.length - nonFinite;
  return { maxAbsDiff, maxRelDiff, argmaxAgreement: pixels === 0 ? 1 : same / pixels, nonFinite, overTolerance: finite === 0 ? 0 : over / finite, pixels };
}
