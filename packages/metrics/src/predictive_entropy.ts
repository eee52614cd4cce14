/**
 * Predictive entropy of per-pixel class distributions, in nats: H = -sum_c p_c ln p_c, with 0 ln 0 = 0.
 * For Bayesian (MC dropout) SegNet, `meanProbs` is the softmax averaged over the dropout samples, and
 * H is the total predictive uncertainty; it ranges from 0 (one-hot) to ln(numClasses) (uniform).
 *
 * `meanProbs` is pixel-major, class-minor (a flattened NHWC tensor): pixel i's distribution is
 * `meanProbs[i * numClasses .. (i + 1) * numClasses)`. The distributions are used as given, not
 * renormalised, so a caller's bug (e.g. logits instead of probabilities) is not hidden; negative or
 * non-finite values are rejected.
 */
export function predictiveEntropy(meanProbs: ArrayLike<number>, numClasses: number): Float32Array {
  checkProbabilityLayout('predictiveEntropy', meanProbs, numClasses);
  const pixels = meanProbs.length / numClasses;
  const out = new Float32Array(pixels);
  for (let i = 0; i < pixels; i++) {
    out[i] = entropyAt(meanProbs, i * numClasses, numClasses, 'predictiveEntropy');
  }
  return out;
}

/** Entropy (nats) of the distribution starting at `offset`; validates each value. */
export function entropyAt(probs: ArrayLike<number>, offset: number, numClasses: number, where: string): number {
  let h = 0;
  for (let c = 0; c < numClasses; c++) {
    const p = probs[offset + c];
    if (!(p >= 0) || p === Infinity) {
      throw new RangeError(
        `${where}: probability ${String(p)} at position ${offset + c} (pixel ${offset / numClasses}, class ${c}) ` +
          'is not a finite non-negative number',
      );
    }
    if (p > 0) h -= p * Math.log(p);
  }
  return h;
}

/** Checks that `numClasses` is a positive integer dividing the length of `probs`. */
export function checkProbabilityLayout(where: string, probs: ArrayLike<number>, numClasses: number): void {
  if (!Number.isSafeInteger(numClasses) || numClasses < 1) {
    throw new RangeError(`${where}: numClasses must be a positive integer, got ${String(numClasses)}`);
  }
  if (probs.length % numClasses !== 0) {
    throw new RangeError(
      `${where}: length ${probs.length} is not a multiple of numClasses ${numClasses} (expected pixels x classes)`,
    );
  }
}
