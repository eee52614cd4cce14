/**
 * Result objects must survive `JSON.stringify` unchanged, and JSON has no NaN or Infinity (they would be
 * written as `null` silently, or worse, read back as something else). Every quantity that can be
 * undefined, such as a ratio with an empty denominator, is therefore represented as `null` explicitly.
 */
export type JsonNumber = number | null;

/** `num / den`, or null when the denominator is zero (the quantity is undefined, not zero). */
export function ratioOrNull(num: number, den: number): JsonNumber {
  return den > 0 ? num / den : null;
}

/** Mean of the defined (non-null) entries, or null when none is defined. */
export function meanOfDefined(values: readonly JsonNumber[]): JsonNumber {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (v !== null) {
      sum += v;
      n += 1;
    }
  }
  return n > 0 ? sum / n : null;
}
