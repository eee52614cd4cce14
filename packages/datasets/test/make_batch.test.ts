import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@unpool/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchIndices, batches, flipFor, makeBatch, type Sample, type SegDataset } from '../src/index.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

/** A tiny data set whose pixels encode (index, x) so batches can be checked exactly; counts reads. */
function fakeDataset(size: number, H = 2, W = 3): SegDataset & { reads: number } {
  const ds = {
    name: 'fake',
    size,
    height: H,
    width: W,
    reads: 0,
    get(i: number): Sample {
      ds.reads++;
      const image = new Float32Array(H * W * 3);
      const label = new Uint8Array(H * W);
      for (let p = 0; p < H * W; p++) {
        image.set([i / 100, (p % W) / 10, 0.5], p * 3);
        label[p] = p % W === 0 ? 255 : (i + (p % W)) % 19;
      }
      return { id: `fake/${i}`, image, label, height: H, width: W };
    },
  };
  return ds;
}

describe('makeBatch', () => {
  it('stacks samples into NHWC float32 images and NHW int32 labels, flipping the chosen slots', () => {
    const ds = fakeDataset(10);
    const { images, labels } = makeBatch(ds, [4, 7], { flip: [false, true] });
    expect(images.shape).toEqual([2, 2, 3, 3]);
    expect(images.dtype).toBe('float32');
    expect(labels.shape).toEqual([2, 2, 3]);
    expect(labels.dtype).toBe('int32');
    const img = images.arraySync();
    const lab = labels.arraySync();
    expect(img[0][0][0][0]).toBeCloseTo(0.04, 6);
    expect(img[1][0][0][0]).toBeCloseTo(0.07, 6);
    // Slot 1 is mirrored: column 0 now holds what was column 2.
    expect(img[0][1].map((px) => +px[1].toFixed(3))).toEqual([0, 0.1, 0.2]);
    expect(img[1][1].map((px) => +px[1].toFixed(3))).toEqual([0.2, 0.1, 0]);
    expect(lab[0][0]).toEqual([255, 5, 6]);
    expect(lab[1][0]).toEqual([9, 8, 255]);
    tf.dispose([images, labels]);
  });

  it('refuses an empty batch', () => {
    expect(() => makeBatch(fakeDataset(3), [])).toThrow(/empty index list/);
  });
});

describe('batches', () => {
  it('yields the batchIndices order with seeded flips and resumes at any step', async () => {
    const ds = fakeDataset(9);
    const seen: { step: number; indices: readonly number[]; first: number }[] = [];
    for await (const b of batches({ dataset: ds, batchSize: 4, seed: 5, startStep: 0, endStep: 6, flip: true })) {
      const px = b.images.slice([0, 0, 0, 1], [1, 1, 1, 1]);
      const col = (await px.data())[0];
      px.dispose();
      seen.push({ step: b.step, indices: b.indices, first: col });
      tf.dispose([b.images, b.labels]);
    }
    expect(seen.map((s) => s.step)).toEqual([0, 1, 2, 3, 4, 5]);
    seen.forEach((s) => expect(s.indices).toEqual(batchIndices({ size: 9, batchSize: 4, seed: 5, step: s.step })));
    // Column 0 of slot 0 reads 0 unflipped and 0.2 (the last column) when flipped.
    seen.forEach((s) => expect(s.first).toBeCloseTo(flipFor({ seed: 5, step: s.step, slot: 0 }) ? 0.2 : 0, 6));
    const resumed: number[][] = [];
    for await (const b of batches({ dataset: ds, batchSize: 4, seed: 5, startStep: 3, endStep: 6 })) {
      resumed.push([...b.indices]);
      tf.dispose([b.images, b.labels]);
    }
    expect(resumed).toEqual(seen.slice(3).map((s) => [...s.indices]));
  });

  it('makes one ordered pass for evaluation, keeps only a few batches ahead and leaks no tensors', async () => {
    const ds = fakeDataset(10);
    const before = tf.memory().numTensors;
    const got: number[] = [];
    let maxAhead = 0;
    for await (const b of batches({ dataset: ds, batchSize: 4, seed: 0, shuffle: false, prefetch: 2 })) {
      got.push(...b.indices);
      expect(b.images.shape[0]).toBe(b.indices.length);
      // Reads beyond what was consumed are the prefetched batches.
      maxAhead = Math.max(maxAhead, ds.reads - got.length);
      await new Promise((r) => setImmediate(r));
      maxAhead = Math.max(maxAhead, ds.reads - got.length);
      tf.dispose([b.images, b.labels]);
    }
    expect(got).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(maxAhead).toBeLessThanOrEqual(2 * 4);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('surfaces a failing sample when its batch is reached', async () => {
    const ds = fakeDataset(8);
    const broken: SegDataset = { ...ds, get: (i) => { if (i === 5) throw new Error('fake: sample 5 is corrupt'); return ds.get(i); } };
    const steps: number[] = [];
    await expect(async () => {
      for await (const b of batches({ dataset: broken, batchSize: 2, seed: 0, shuffle: false })) {
        steps.push(b.step);
        tf.dispose([b.images, b.labels]);
      }
    }).rejects.toThrow(/sample 5 is corrupt/);
    expect(steps).toEqual([0, 1]);
  });
});
