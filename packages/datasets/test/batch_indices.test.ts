import { describe, expect, it } from 'vitest';
import { batchIndices, epochPermutation, flipFor } from '../src/index.js';

const sorted = (a: number[]): number[] => [...a].sort((x, y) => x - y);
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('batchIndices', () => {
  it('walks through a permutation of the data set in each epoch', () => {
    const size = 12, batchSize = 4;
    for (let epoch = 0; epoch < 3; epoch++) {
      const seen: number[] = [];
      for (let k = 0; k < 3; k++) seen.push(...batchIndices({ size, batchSize, seed: 1, step: epoch * 3 + k }));
      expect(sorted(seen)).toEqual(range(size));
    }
  });

  it('uses a different order in each epoch and for each seed, the same for the same inputs', () => {
    const epoch = (seed: number, e: number): number[] => Array.from(epochPermutation(50, seed, e));
    expect(epoch(1, 0)).not.toEqual(epoch(1, 1));
    expect(epoch(1, 0)).not.toEqual(epoch(2, 0));
    expect(epoch(1, 0)).not.toEqual(range(50));
    expect(batchIndices({ size: 50, batchSize: 8, seed: 3, step: 17 })).toEqual(batchIndices({ size: 50, batchSize: 8, seed: 3, step: 17 }));
  });

  it('follows the epoch stream across batches that straddle an epoch boundary', () => {
    const size = 7, batchSize = 3, seed = 9;
    const stream: number[] = [];
    for (let step = 0; step < 7; step++) stream.push(...batchIndices({ size, batchSize, seed, step }));
    // 21 positions = exactly 3 epochs, each a permutation, each the epoch's own shuffle.
    for (let e = 0; e < 3; e++) {
      const part = stream.slice(e * size, (e + 1) * size);
      expect(sorted(part)).toEqual(range(size));
      expect(part).toEqual(Array.from(epochPermutation(size, seed, e)));
    }
  });

  it('gives a resumed run the same batches (no hidden state)', () => {
    const full = range(20).map((step) => batchIndices({ size: 33, batchSize: 5, seed: 4, step }));
    // Other calls in between must not matter.
    epochPermutation(33, 99, 7);
    const resumed = range(10).map((k) => batchIndices({ size: 33, batchSize: 5, seed: 4, step: 10 + k }));
    expect(resumed).toEqual(full.slice(10));
  });

  it('rejects bad arguments', () => {
    expect(() => batchIndices({ size: 0, batchSize: 2, seed: 0, step: 0 })).toThrow(/size/);
    expect(() => batchIndices({ size: 5, batchSize: 0, seed: 0, step: 0 })).toThrow(/batchSize/);
    expect(() => batchIndices({ size: 5, batchSize: 2, seed: 0, step: -1 })).toThrow(/step/);
  });
});

describe('flipFor', () => {
  it('is a deterministic, roughly fair coin per (seed, step, slot)', () => {
    let heads = 0;
    for (let step = 0; step < 50; step++) {
      for (let slot = 0; slot < 8; slot++) {
        const f = flipFor({ seed: 2, step, slot });
        expect(flipFor({ seed: 2, step, slot })).toBe(f);
        if (f) heads++;
      }
    }
    expect(heads).toBeGreaterThan(160);
    expect(heads).toBeLessThan(240);
    const a = range(64).map((slot) => flipFor({ seed: 1, step: 0, slot }));
    const b = range(64).map((slot) => flipFor({ seed: 2, step: 0, slot }));
    expect(a).not.toEqual(b);
  });
});
