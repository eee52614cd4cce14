import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { backendInfo, selectBackend, webgpuDetails } from '../src/index.js';
import { planSplitK } from '../src/webgpu_conv2d_backprop_filter.js';
import { randomValues, relativeError, size, withKernels } from './helpers.js';

// Captured before selectBackend('cpu') replaces it: the reference, and the only cpu kernel with NCHW.
const stockCpuFilterGrad = tf.getKernel('Conv2DBackpropFilter', 'cpu')!;

interface Case {
  x: [number, number, number, number];
  filter: [number, number];
  outChannels: number;
  strides: number;
  pad: 'same' | 'valid';
}

// Small shapes (llvmpipe runs these on the CPU), chosen to reach every path of the shader and the plan:
// one slice, 3 and 6 slices (the summing pass adds four at a time, then the rest), a last slice shorter
// than the others, row and column tiles cut by the edge, taps whose four staged rows straddle two filter
// positions (Cin not a multiple of 4), strides.
const CASES: Case[] = [
  { x: [2, 5, 7, 3], filter: [3, 3], outChannels: 4, strides: 1, pad: 'same' },
  { x: [1, 6, 5, 2], filter: [1, 1], outChannels: 3, strides: 1, pad: 'same' },
  { x: [3, 6, 6, 4], filter: [3, 3], outChannels: 2, strides: 1, pad: 'valid' },
  { x: [2, 28, 50, 9], filter: [3, 3], outChannels: 70, strides: 1, pad: 'same' },
  { x: [4, 8, 8, 80], filter: [1, 1], outChannels: 20, strides: 1, pad: 'same' },
  { x: [2, 7, 6, 3], filter: [2, 2], outChannels: 3, strides: 1, pad: 'same' },
  { x: [1, 8, 7, 2], filter: [5, 3], outChannels: 2, strides: 1, pad: 'same' },
  { x: [2, 8, 8, 3], filter: [3, 3], outChannels: 2, strides: 2, pad: 'same' },
  { x: [2, 48, 60, 2], filter: [3, 3], outChannels: 5, strides: 2, pad: 'same' },
  // The windows never reach the last row and column: they must get no gradient.
  { x: [1, 6, 6, 1], filter: [3, 3], outChannels: 2, strides: 2, pad: 'valid' },
];

/** How many slices the kernel splits this case's reduction into. */
function slices(c: Case): number {
  const [n, h, w, cin] = c.x;
  const [oh, ow] = c.pad === 'same' ? [Math.ceil(h / c.strides), Math.ceil(w / c.strides)] : [Math.ceil((h - c.filter[0] + 1) / c.strides), Math.ceil((w - c.filter[1] + 1) / c.strides)];
  return planSplitK(c.filter[0] * c.filter[1] * cin, c.outChannels, n * oh * ow).slices;
}

function label(c: Case): string {
  return `x [${c.x}] filter ${c.filter.join('x')} -> ${c.outChannels}, stride ${c.strides}, ${c.pad}`;
}

/** dW of sum(conv2d(x, w) * r) on the active backend, read asynchronously (webgpu cannot read sync). */
async function filterGrad(c: Case, seed: number): Promise<Float32Array> {
  const wShape = [c.filter[0], c.filter[1], c.x[3], c.outChannels] as [number, number, number, number];
  const dw = tf.tidy(() => {
    const x = tf.tensor4d(randomValues(size(c.x), seed), c.x);
    const w = tf.tensor4d(randomValues(size(wShape), seed + 1), wShape);
    const outShape = tf.conv2d(x, w, c.strides, c.pad).shape;
    const r = tf.tensor(randomValues(size(outShape), seed + 2), outShape);
    return tf.grad((wi: tf.Tensor) => tf.conv2d(x, wi as tf.Tensor4D, c.strides, c.pad).mul(r).sum())(w);
  });
  try {
    return (await dw.data()) as Float32Array;
  } finally {
    dw.dispose();
  }
}

describe('planSplitK', () => {
  it.each([
    [27, 64, 8 * 128 * 384],
    [4608, 512, 8 * 8 * 24],
    [576, 20, 8 * 64 * 192],
    [9, 1, 1],
    [81, 70, 2800],
  ])('covers all %i x %i x M=%i positions exactly once, in DEPTH-aligned slices', (rows, cols, m) => {
    const p = planSplitK(rows, cols, m);
    expect(p.sliceSize % 16).toBe(0);
    expect(p.steps * 16).toBe(p.sliceSize);
    expect(p.slices * p.sliceSize).toBeGreaterThanOrEqual(m);
    expect((p.slices - 1) * p.sliceSize).toBeLessThan(m);
    expect(p.rowTiles * 64).toBeGreaterThanOrEqual(rows);
    expect(p.colTiles * 64).toBeGreaterThanOrEqual(cols);
  });

  it('splits a small gradient with a huge reduction into many slices (the point of the kernel)', () => {
    // SegNet-VGG16's first conv at batch 8, 128x384: one output tile, 393k positions.
    expect(planSplitK(27, 64, 8 * 128 * 384).slices).toBeGreaterThanOrEqual(500);
  });

  it('respects the partial-sum memory bound and the minimum slice length', () => {
    expect(planSplitK(4608, 512, 1_000_000, { maxPartialBytes: 3 * 4608 * 512 * 4 }).slices).toBeLessThanOrEqual(3);
    expect(planSplitK(9, 8, 1000, { minSliceSize: 500 }).slices).toBe(2);
    expect(planSplitK(9, 8, 1000).slices).toBe(2);
  });

  it('rejects a non-positive size, naming it', () => {
    expect(() => planSplitK(9, 0, 10)).toThrow(/Conv2DBackpropFilter: planSplitK needs a positive integer cols, got 0/);
  });
});

describe('split-K Conv2DBackpropFilter on webgpu (llvmpipe without a GPU)', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
    await selectBackend('webgpu');
  });

  it('is the kernel in use, and the cases below reach several slices', () => {
    expect(tf.getBackend()).toBe('webgpu');
    expect(webgpuDetails()?.kernels).toBe('fast');
    expect(backendInfo().replacedKernels).toContain('Conv2DBackpropFilter');
    expect(CASES.map(slices)).toContain(6);
    expect(CASES.map(slices)).toContain(3);
  });

  it.each(CASES.map((c, i) => [label(c), c, i] as const))('matches the stock cpu kernel: %s', async (_, c, i) => {
    const seed = 300 + 10 * i;
    await tf.setBackend('cpu');
    const ref = await withKernels([stockCpuFilterGrad], () => filterGrad(c, seed));
    await tf.setBackend('webgpu');
    const got = await filterGrad(c, seed);
    expect(got.some((v) => v !== 0)).toBe(true);
    expect(relativeError(got, ref)).toBeLessThan(1e-4);
  });

  it('leaves no buffers behind (the partial sums are freed)', async () => {
    await tf.setBackend('webgpu');
    const c = CASES[3];
    expect(slices(c)).toBeGreaterThan(1);
    await filterGrad(c, 7);
    const before = tf.engine().backend.numDataIds();
    const tensorsBefore = tf.memory().numTensors;
    await filterGrad(c, 7);
    expect(tf.engine().backend.numDataIds()).toBe(before);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('sends NCHW to the stock webgpu kernel instead of misreading it as NHWC', async () => {
    const xShape = [2, 3, 5, 6];
    const dyShape = [2, 4, 5, 6];
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 3, 4] };
    const run = async () => {
      const x = tf.tensor(randomValues(size(xShape), 41), xShape);
      const dy = tf.tensor(randomValues(size(dyShape), 42), dyShape);
      const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs) as tf.Tensor;
      const out = (await dw.data()) as Float32Array;
      tf.dispose([x, dy, dw]);
      return out;
    };
    await tf.setBackend('cpu');
    const ref = await withKernels([stockCpuFilterGrad], run);
    await tf.setBackend('webgpu');
    expect(relativeError(await run(), ref)).toBeLessThan(1e-4);
  });
});
