/**
 * Median-frequency balancing (Eigen & Fergus, used by SegNet): w_c = median(f) / f_c over the classes
 * that occur. `frequencies` has one pixel fraction per logit channel, void last. A class that never occurs
 * gets weight 0 (it cannot contribute to the loss anyway); void gets 0 unless it is trained as a class.
 */
export function medianFrequencyWeights(frequencies: number[], voidAsClass: boolean): number[] {
  const last = frequencies.length - 1;
  const considered = frequencies.map((f, c) => (c === last && !voidAsClass ? 0 : f));
  const present = considered.filter((f) => f > 0).sort((a, b) => a - b);
  if (present.length === 0) throw new Error('medianFrequencyWeights: no class occurs in the training data');
  const mid = present.length >> 1;
  const median = present.length % 2 ? present[mid] : (present[mid - 1] + present[mid]) / 2;
  return considered.map((f) => (f > 0 ? median / f : 0));
}

/** Uniform weights, with void ignored unless trained as a class. */
export function uniformWeights(classes: number, voidAsClass: boolean): number[] {
  return Array.from({ length: classes }, (_, c) => (c === classes - 1 && !voidAsClass ? 0 : 1));
}
