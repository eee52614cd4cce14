import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../src/index.js';
import { randomValues, relativeError, size, withKernels } from './helpers.js';

interface PoolCase {
  name: string;
  shape: [number, number, number, number];
  values: Float32Array;
  filter: number;
  strides: number;
  pad: 'same' | 'valid';
}

// 4x4, one channel, 2x2 windows: all-zero, max 0 beside negatives, all negative (max not first), positive.
const EDGE_WINDOWS = new Float32Array([
  0, 0, 0, -2,
  0, 0, -0.5, 0,
  -3, -1, 1, 2,
  -2, -0.25, 4, 3,
]);

const relu = (v: Float32Array) => v.map((a) => Math.max(a, 0));

const CASES: PoolCase[] = [
  { name: 'zero and negative windows', shape: [1, 4, 4, 1], values: EDGE_WINDOWS, filter: 2, strides: 2, pad: 'valid' },
  { name: 'all-negative input', shape: [2, 4, 6, 3], values: randomValues(144, 3).map((a) => a - 1.5), filter: 2, strides: 2, pad: 'valid' },
  { name: 'all-zero input (ties)', shape: [1, 4, 4, 2], values: new Float32Array(32), filter: 2, strides: 2, pad: 'valid' },
  { name: 'after ReLU, 2x2/2', shape: [2, 6, 8, 5], values: relu(randomValues(480, 4)), filter: 2, strides: 2, pad: 'valid' },
  { name: 'after ReLU, odd size, 3x3/2 same', shape: [1, 7, 9, 2], values: relu(randomValues(126, 5)), filter: 3, strides: 2, pad: 'same' },
  { name: 'overlapping 3x3/1 same, negative', shape: [2, 5, 5, 3], values: randomValues(150, 6).map((a) => -Math.abs(a)), filter: 3, strides: 1, pad: 'same' },
];

/** dx of sum(maxPool(x) * r) on the active backend; r makes every window's dy distinct. */
function poolGrad(c: PoolCase): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(c.values, c.shape);
    const outShape = tf.maxPool(x, c.filter, c.strides, c.pad).shape;
    const r = tf.tensor(randomValues(size(outShape), 42).map((a) => a + 2), outShape);
    const dx = tf.grad((xi: tf.Tensor) => tf.maxPool(xi as tf.Tensor4D, c.filter, c.strides, c.pad).mul(r).sum())(x);
    return dx.dataSync() as Float32Array;
  });
}

describe('MaxPoolGrad on wasm', () => {
  let stockWasm: tf.KernelConfig;

  beforeAll(async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    stockWasm = tf.getKernel('MaxPoolGrad', 'wasm');
    await selectBackend('wasm');
    tf.env().set('IS_TEST', true);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('matches the cpu backend: %s', async (_, c) => {
    await tf.setBackend('cpu');
    const ref = poolGrad(c);
    await tf.setBackend('wasm');
    const got = poolGrad(c);
    expect(relativeError(got, ref)).toBeLessThan(1e-6);
  });

  it('sends each window gradient to exactly one input: the row-major first maximum', async () => {
    await tf.setBackend('wasm');
    const c = CASES[0];
    const dx = tf.tidy(() => {
      const x = tf.tensor4d(c.values, c.shape);
      return tf.grad((xi: tf.Tensor) => tf.maxPool(xi as tf.Tensor4D, 2, 2, 'valid').sum())(x).dataSync();
    });
    // Windows (top-left, top-right, bottom-left, bottom-right): first maxima at flat indices 0, 2, 13, 14.
    const expected = new Float32Array(16);
    for (const i of [0, 2, 13, 14]) expected[i] = 1;
    expect(Array.from(dx)).toEqual(Array.from(expected));
  });

  it('replaces a stock kernel that is wrong for windows whose maximum is <= 0', async () => {
    await tf.setBackend('wasm');
    stockWasm.setupFunc?.(tf.backend());
    const c = CASES[0];
    const [ours, stock] = [poolGrad(c), withKernels([stockWasm], () => poolGrad(c))];
    // If this starts failing, tfjs fixed its kernel and the replacement may be dropped.
    expect(relativeError(stock, ours)).toBeGreaterThan(0.1);
  });
});
