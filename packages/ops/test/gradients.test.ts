import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@unpool/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  maxPool2x2,
  maxPoolWithSwitches,
  nearestUnpool,
  ratioUnpool,
  refMaxPool2x2,
  refMaxPool2x2Grad,
  refMaxPoolWithSwitches,
  refNearestUnpool,
  refRatioUnpool,
  refRatioUnpoolGrads,
  refSwitchUnpool,
  upsampleNearest2x,
  switchUnpool,
  type NhwcArray,
  type Shape4,
} from '../src/index.js';
import {
  awkwardWindows,
  BACKENDS,
  expectClose,
  finiteDiff,
  fromTensor,
  rng,
  tieFreeWindows,
  toTensor,
  uniform,
  weightedSum,
} from './helpers.js';

// tfjs gradients (float32) against central differences of the float64 loop references, so the
// finite differences themselves carry no float32 noise and the tolerance can stay tight.
const RTOL = 1e-4;
const ATOL = 1e-5;
const SHAPE: Shape4 = [2, 4, 6, 2];
const POOLED: Shape4 = [2, 2, 3, 2];

/** tf.grads of sum(f(...inputs) * weights) w.r.t. every input, read back as arrays. */
async function tfGrads(f: (...t: tf.Tensor4D[]) => tf.Tensor, inputs: NhwcArray[], weights: NhwcArray): Promise<NhwcArray[]> {
  const ts = inputs.map((a) => toTensor(a));
  const w = toTensor(weights);
  const grads = tf.grads((...args: tf.Tensor[]) => tf.sum(tf.mul(f(...(args as tf.Tensor4D[])), w)))(ts);
  const out = await Promise.all(grads.map(fromTensor));
  tf.dispose([...ts, w, ...grads]);
  return out;
}

describe.each(BACKENDS)('gradients on %s', (backend) => {
  beforeAll(async () => {
    expect(await selectBackend(backend)).toBe(backend);
  });

  it('ratioUnpool w.r.t. y, prePool and pooled match finite differences (pooled with zeros)', async () => {
    const rand = rng(21);
    const x = uniform(SHAPE, rand, -2, 2);
    const y = uniform(POOLED, rand, -2, 2);
    const p = uniform(POOLED, rand, 0.25, 2);
    p.data = p.data.map((v, i) => (i % 5 === 0 ? 0 : i % 3 === 0 ? -v : v));
    const w = uniform(SHAPE, rand);
    const [dy, dx, dp] = await tfGrads((a, b, c) => ratioUnpool(a, b, c), [y, x, p], w);

    expectClose(dy, finiteDiff((t) => weightedSum(refRatioUnpool(t, x, p), w), y), 'd/dy', RTOL, ATOL);
    expectClose(dx, finiteDiff((t) => weightedSum(refRatioUnpool(y, t, p), w), x), 'd/dprePool', RTOL, ATOL);
    // Finite differences across p = 0 see the jump of the ratio, so there the analytic reference
    // (exactly 0) is the yardstick; elsewhere both agree.
    const fd = finiteDiff((t) => weightedSum(refRatioUnpool(y, x, t), w), p);
    const expected = { shape: p.shape, data: fd.data.map((v, i) => (p.data[i] === 0 ? 0 : v)) };
    expectClose(dp, expected, 'd/dpooled', RTOL, ATOL);
    expect(dp.data.filter((_, i) => p.data[i] === 0).every((v) => v === 0)).toBe(true);
    expect([...dy.data, ...dx.data, ...dp.data].every(Number.isFinite)).toBe(true);

    const ref = refRatioUnpoolGrads(y, x, p, w);
    expectClose(dy, ref.dy, 'd/dy vs analytic', RTOL, ATOL);
    expectClose(dx, ref.dPrePool, 'd/dprePool vs analytic', RTOL, ATOL);
    expectClose(dp, ref.dPooled, 'd/dpooled vs analytic', RTOL, ATOL);
  });

  it('ratioUnpool(y, x, maxPool2x2(x)) w.r.t. x and y matches finite differences', async () => {
    const rand = rng(23);
    const x = tieFreeWindows(SHAPE, rand);
    const y = uniform(POOLED, rand, -2, 2);
    const w = uniform(SHAPE, rand);
    const [dy, dx] = await tfGrads((a, b) => ratioUnpool(a, b, maxPool2x2(b)), [y, x], w);
    const composite = (yy: NhwcArray, xx: NhwcArray) => weightedSum(refRatioUnpool(yy, xx, refMaxPool2x2(xx)), w);
    expectClose(dy, finiteDiff((t) => composite(t, x), y), 'd/dy', RTOL, ATOL);
    expectClose(dx, finiteDiff((t) => composite(y, t), x), 'd/dx', RTOL, ATOL);
  });

  it('switchUnpool w.r.t. y matches finite differences (switches from awkward windows)', async () => {
    const rand = rng(25);
    const { switches } = refMaxPoolWithSwitches(awkwardWindows(SHAPE, rand));
    const y = uniform(POOLED, rand, -2, 2);
    const w = uniform(SHAPE, rand);
    const s = toTensor(switches, 'int32');
    const [dy] = await tfGrads((a) => switchUnpool(a, s, SHAPE), [y], w);
    s.dispose();
    expectClose(dy, finiteDiff((t) => weightedSum(refSwitchUnpool(t, switches, SHAPE), w), y), 'd/dy', RTOL, ATOL);
  });

  it('switchUnpool(pooled * y, switches) w.r.t. x through maxPoolWithSwitches matches finite differences', async () => {
    const rand = rng(27);
    const x = tieFreeWindows(SHAPE, rand);
    const y = uniform(POOLED, rand, -2, 2);
    const w = uniform(SHAPE, rand);
    const [dx, dy] = await tfGrads((a, b) => {
      const { pooled, switches } = maxPoolWithSwitches(a);
      return switchUnpool(tf.mul(pooled, b) as tf.Tensor4D, switches, SHAPE);
    }, [x, y], w);
    const composite = (xx: NhwcArray, yy: NhwcArray) => {
      const { pooled, switches } = refMaxPoolWithSwitches(xx);
      const decoded = { shape: pooled.shape, data: pooled.data.map((v, i) => v * yy.data[i]) };
      return weightedSum(refSwitchUnpool(decoded, switches, SHAPE), w);
    };
    expectClose(dx, finiteDiff((t) => composite(t, y), x), 'd/dx', RTOL, ATOL);
    expectClose(dy, finiteDiff((t) => composite(x, t), y), 'd/dy', RTOL, ATOL);
  });

  it('nearestUnpool and upsampleNearest2x w.r.t. y match finite differences', async () => {
    const rand = rng(29);
    const y = uniform(POOLED, rand, -2, 2);
    const w = uniform(SHAPE, rand);
    const expected = finiteDiff((t) => weightedSum(refNearestUnpool(t), w), y);
    expectClose((await tfGrads((a) => nearestUnpool(a), [y], w))[0], expected, 'nearestUnpool', RTOL, ATOL);
    expectClose((await tfGrads((a) => upsampleNearest2x(a), [y], w))[0], expected, 'upsampleNearest2x', RTOL, ATOL);
  });

  it('max pooling sends each window gradient to its first maximum, ties and windows <= 0 included', async () => {
    // Not differentiable at ties, so the convention (first maximum, row-major) is the reference; both
    // pooling ops must follow it on every backend, or switch and ratio models would train differently.
    const rand = rng(31);
    const x = awkwardWindows(SHAPE, rand);
    const w = uniform(POOLED, rand);
    const expected = refMaxPool2x2Grad(x, w);
    expect((await tfGrads((a) => maxPool2x2(a), [x], w))[0].data).toEqual(expected.data);
    expect((await tfGrads((a) => maxPoolWithSwitches(a).pooled, [x], w))[0].data).toEqual(expected.data);
  });
});
