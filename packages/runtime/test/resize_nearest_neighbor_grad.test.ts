import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../src/index.js';
import { randomValues, relativeError, scoped, size, withKernels } from './helpers.js';

// Captured before selectBackend('cpu') replaces it.
const stockCpu = tf.getKernel('ResizeNearestNeighborGrad', 'cpu');

interface ResizeCase {
  images: [number, number, number, number];
  size: [number, number];
  alignCorners: boolean;
  halfPixelCenters: boolean;
}

const CASES: ResizeCase[] = [
  { images: [3, 4, 6, 2], size: [8, 12], alignCorners: false, halfPixelCenters: false },
  { images: [2, 5, 7, 1], size: [8, 3], alignCorners: false, halfPixelCenters: false },
  { images: [2, 5, 7, 3], size: [8, 11], alignCorners: true, halfPixelCenters: false },
  { images: [2, 5, 7, 1], size: [8, 11], alignCorners: false, halfPixelCenters: true },
  { images: [1, 6, 6, 2], size: [3, 4], alignCorners: false, halfPixelCenters: false },
];

const label = (c: ResizeCase) =>
  `[${c.images}] -> ${c.size.join('x')}, alignCorners ${c.alignCorners}, halfPixelCenters ${c.halfPixelCenters}`;

function resizeGrad(c: ResizeCase, dy: Float32Array): Float32Array {
  return scoped(() => {
    const x = tf.tensor4d(randomValues(size(c.images), 3), c.images);
    const r = tf.tensor4d(dy, [c.images[0], ...c.size, c.images[3]]);
    const f = (xi: tf.Tensor) =>
      tf.image.resizeNearestNeighbor(xi as tf.Tensor4D, c.size, c.alignCorners, c.halfPixelCenters).mul(r).sum();
    return tf.grad(f)(x).dataSync() as Float32Array;
  });
}

/**
 * The adjoint from the forward pass alone: resize an image of distinct values (its flat indices), so each
 * output value names the input it was copied from, and add dy there.
 */
function adjointFromForward(c: ResizeCase, dy: Float32Array): Float32Array {
  return scoped(() => {
    const ids = tf.range(0, size(c.images)).reshape(c.images) as tf.Tensor4D;
    const src = tf.image.resizeNearestNeighbor(ids, c.size, c.alignCorners, c.halfPixelCenters).dataSync();
    const dx = new Float32Array(size(c.images));
    src.forEach((from, i) => (dx[from] += dy[i]));
    return dx;
  });
}

describe.each(['wasm', 'cpu'] as const)('ResizeNearestNeighborGrad on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend('cpu');
    await selectBackend(backend);
    tf.env().set('IS_TEST', true);
  });

  it.each(CASES.map((c) => [label(c), c] as const))('is the adjoint of the forward resize: %s', (_, c) => {
    const dy = randomValues(c.images[0] * c.size[0] * c.size[1] * c.images[3], 11);
    expect(relativeError(resizeGrad(c, dy), adjointFromForward(c, dy))).toBeLessThan(1e-6);
  });

  it('2x upsampling: each input gets the sum of its 2x2 block of dy', () => {
    const c = CASES[0];
    const dy = randomValues(c.images[0] * c.size[0] * c.size[1] * c.images[3], 12);
    const blockSums = scoped(() =>
      tf.tensor(dy, [c.images[0], c.images[1], 2, c.images[2], 2, c.images[3]]).sum([2, 4]).dataSync(),
    );
    expect(relativeError(resizeGrad(c, dy), blockSums)).toBeLessThan(1e-6);
  });
});

it('the stock cpu kernel it replaces is wrong for batch > 1', async () => {
  await selectBackend('cpu');
  const c = CASES[0];
  const dy = randomValues(c.images[0] * c.size[0] * c.size[1] * c.images[3], 13);
  const stock = withKernels([stockCpu], () => resizeGrad(c, dy));
  // If this starts failing, tfjs fixed its kernel and the replacement may be dropped.
  expect(relativeError(stock, adjointFromForward(c, dy))).toBeGreaterThan(0.1);
});
