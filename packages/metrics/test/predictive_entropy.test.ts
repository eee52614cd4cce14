import { describe, expect, it } from 'vitest';
import { predictiveEntropy } from '../src/index.js';

describe('predictiveEntropy', () => {
  it('uniform -> ln(C), one-hot -> 0, worked values in between', () => {
    const c = 20;
    const probs = new Float32Array(3 * c);
    probs.fill(1 / c, 0, c); // pixel 0: uniform
    probs[c + 7] = 1; // pixel 1: one-hot
    probs[2 * c] = 0.5; // pixel 2: (1/2, 1/4, 1/4, 0...)
    probs[2 * c + 1] = 0.25;
    probs[2 * c + 2] = 0.25;
    const h = predictiveEntropy(probs, c);
    expect(h).toBeInstanceOf(Float32Array);
    expect(h).toHaveLength(3);
    expect(h[0]).toBeCloseTo(Math.log(20), 5);
    expect(h[1]).toBe(0);
    // -(1/2 ln 1/2 + 2 * 1/4 ln 1/4) = 1/2 ln 2 + ln 2 = 1.5 ln 2
    expect(h[2]).toBeCloseTo(1.5 * Math.LN2, 6);
    expect(predictiveEntropy(new Float32Array([0.5, 0.5]), 2)[0]).toBeCloseTo(Math.LN2, 6);
  });

  it('rejects a bad layout or bad probabilities', () => {
    expect(() => predictiveEntropy(new Float32Array(7), 2)).toThrow(/length 7 is not a multiple of numClasses 2/);
    expect(() => predictiveEntropy(new Float32Array(4), 0)).toThrow(/numClasses/);
    expect(() => predictiveEntropy(new Float32Array([0.5, 0.5, 1.2, -0.2]), 2)).toThrow(
      /probability -0\.2\d* at position 3 \(pixel 1, class 1\)/,
    );
    expect(() => predictiveEntropy([0.5, Number.NaN], 2)).toThrow(/NaN at position 1/);
  });
});
