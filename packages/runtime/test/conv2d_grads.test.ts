import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../src/index.js';
import { randomValues, relativeError, size, withKernels } from './helpers.js';

// Captured before selectBackend('cpu') replaces it: the reference for the weight gradient.
const stockCpuFilterGrad = tf.getKernel('Conv2DBackpropFilter', 'cpu');

interface Case {
  x: [number, number, number, number];
  filter: [number, number];
  outChannels: number;
  strides: number;
  pad: 'same' | 'valid';
}

const CASES: Case[] = [
  { x: [2, 5, 7, 3], filter: [3, 3], outChannels: 4, strides: 1, pad: 'same' },
  { x: [1, 6, 5, 2], filter: [1, 1], outChannels: 3, strides: 1, pad: 'same' },
  { x: [3, 6, 6, 4], filter: [3, 3], outChannels: 2, strides: 1, pad: 'valid' },
  { x: [2, 4, 9, 1], filter: [1, 1], outChannels: 5, strides: 1, pad: 'valid' },
  { x: [2, 7, 6, 3], filter: [2, 2], outChannels: 3, strides: 1, pad: 'same' },
  { x: [1, 8, 7, 2], filter: [5, 3], outChannels: 2, strides: 1, pad: 'same' },
  { x: [4, 3, 3, 5], filter: [3, 3], outChannels: 6, strides: 1, pad: 'same' },
];

// Weight gradient only: the conv-based input gradient does not do strided convs.
const STRIDED_CASES: Case[] = [
  { x: [2, 8, 8, 3], filter: [3, 3], outChannels: 2, strides: 2, pad: 'same' },
  { x: [1, 7, 9, 2], filter: [3, 3], outChannels: 3, strides: 2, pad: 'same' },
  { x: [2, 7, 7, 2], filter: [3, 3], outChannels: 2, strides: 2, pad: 'valid' },
  // The windows never reach the last row and column: they must get no gradient.
  { x: [1, 6, 6, 1], filter: [3, 3], outChannels: 2, strides: 2, pad: 'valid' },
  { x: [2, 4, 6, 3], filter: [1, 1], outChannels: 2, strides: 2, pad: 'same' },
];

function label(c: Case): string {
  return `x [${c.x}] filter ${c.filter.join('x')} -> ${c.outChannels}, stride ${c.strides}, ${c.pad}`;
}

/** Gradients of sum(conv2d(x, w) * r) w.r.t. x and w on the active backend; r makes dy random. */
function convGrads(c: Case, wrt: 'both' | 'filter', seed: number): { dx?: Float32Array; dw: Float32Array } {
  const wShape = [c.filter[0], c.filter[1], c.x[3], c.outChannels] as [number, number, number, number];
  return tf.tidy(() => {
    const x = tf.tensor4d(randomValues(size(c.x), seed), c.x);
    const w = tf.tensor4d(randomValues(size(wShape), seed + 1), wShape);
    const outShape = tf.conv2d(x, w, c.strides, c.pad).shape;
    const r = tf.tensor(randomValues(size(outShape), seed + 2), outShape);
    const loss = (xi: tf.Tensor, wi: tf.Tensor) =>
      tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, c.strides, c.pad).mul(r).sum();
    if (wrt === 'filter') {
      const dw = tf.grad((wi: tf.Tensor) => loss(x, wi as tf.Tensor4D))(w);
      return { dw: dw.dataSync() as Float32Array };
    }
    const [dx, dw] = tf.grads(loss)([x, w]);
    return { dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array };
  });
}

function stockCpuGrads(c: Case, wrt: 'both' | 'filter', seed: number) {
  return withKernels([stockCpuFilterGrad], () => convGrads(c, wrt, seed));
}

describe.each(['wasm', 'cpu'] as const)('conv-based gradient kernels on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend('cpu');
    await selectBackend(backend);
    // IS_TEST makes the engine check every kernel for leaked buffers (and throw).
    tf.env().set('IS_TEST', true);
  });

  it.each(CASES.map((c, i) => [label(c), c, i] as const))('match the stock cpu gradients: %s', async (_, c, i) => {
    const seed = 100 + 10 * i;
    await tf.setBackend('cpu');
    const ref = stockCpuGrads(c, 'both', seed);
    await tf.setBackend(backend);
    const got = convGrads(c, 'both', seed);
    if (backend === 'wasm') expect(relativeError(got.dx!, ref.dx!)).toBeLessThan(1e-4);
    expect(relativeError(got.dw, ref.dw)).toBeLessThan(1e-4);
  });

  it.each(STRIDED_CASES.map((c, i) => [label(c), c, i] as const))(
    'weight gradient matches stock cpu for strided convs: %s',
    async (_, c, i) => {
      const seed = 500 + 10 * i;
      await tf.setBackend('cpu');
      const ref = stockCpuGrads(c, 'filter', seed);
      await tf.setBackend(backend);
      const got = convGrads(c, 'filter', seed);
      expect(relativeError(got.dw, ref.dw)).toBeLessThan(1e-4);
    },
  );

  it('leaves no buffers behind', async () => {
    await tf.setBackend(backend);
    const c = CASES[0];
    convGrads(c, 'both', 7);
    const before = tf.engine().backend.numDataIds();
    const tensorsBefore = tf.memory().numTensors;
    convGrads(c, 'both', 7);
    expect(tf.engine().backend.numDataIds()).toBe(before);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
});

describe('unsupported configurations fail loudly', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('input gradient of a strided conv throws naming the kernel and the geometry', () => {
    const c = STRIDED_CASES[0];
    expect(() => convGrads(c, 'both', 1)).toThrow(/Conv2DBackpropInput: unsupported configuration.*strides \[2,2\]/);
  });

  it('NCHW attributes throw instead of being read as NHWC', () => {
    const x = tf.zeros([1, 2, 4, 4]);
    const dy = tf.zeros([1, 3, 4, 4]);
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 2, 3] };
    expect(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs)).toThrow(/dataFormat 'NCHW'/);
  });
});
