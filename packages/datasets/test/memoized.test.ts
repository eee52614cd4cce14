import { describe, expect, test } from 'vitest';
import { assembleBatch, memoized, openDataset, type Sample, type SegDataset } from '../src/index.js';

const frame = { height: 32, width: 96 };

function counting(inner: SegDataset): { dataset: SegDataset; calls: number[] } {
  const calls: number[] = [];
  return { calls, dataset: { ...inner, get: (i: number) => (calls.push(i), inner.get(i)) } };
}

describe('memoized', () => {
  test('makes each sample once and gives batches bit-identical to the data set it wraps', () => {
    const raw = openDataset({ kind: 'synth', style: 'city', split: 'train', size: 6 }, frame);
    const { dataset, calls } = counting(raw);
    const cached = memoized(dataset);
    const indices = [3, 1, 3, 5];
    const flips = [true, false, false, true];
    const first = assembleBatch(cached, indices, { flip: flips });
    const again = assembleBatch(cached, indices, { flip: flips });
    const reference = assembleBatch(openDataset({ kind: 'synth', style: 'city', split: 'train', size: 6 }, frame), indices, { flip: flips });
    expect(calls).toEqual([3, 1, 5]);
    for (const b of [first, again]) {
      expect(Buffer.from(b.images.buffer).equals(Buffer.from(reference.images.buffer))).toBe(true);
      expect(Buffer.from(b.labels.buffer).equals(Buffer.from(reference.labels.buffer))).toBe(true);
    }
    expect(cached.size).toBe(6);
    expect(cached.name).toBe(raw.name);
  });

  test('beyond its byte budget it makes samples again instead of keeping them', () => {
    const raw = openDataset({ kind: 'synth', style: 'kitti', split: 'val', size: 4 }, frame);
    const perSample = raw.get(0).image.byteLength + raw.get(0).label.byteLength;
    const { dataset, calls } = counting(raw);
    const cached = memoized(dataset, 2 * perSample);
    for (const i of [0, 1, 2, 0, 1, 2]) cached.get(i);
    // 0 and 1 fit the budget; 2 is made on every call.
    expect(calls).toEqual([0, 1, 2, 2]);
    const s: Sample = cached.get(0);
    expect(s).toBe(cached.get(0));
  });
});
