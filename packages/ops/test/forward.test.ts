import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@unpool/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  maxPool2x2,
  maxPoolWithSwitches,
  nearestUnpool,
  ratioUnpool,
  refMaxPoolWithSwitches,
  refRatioUnpool,
  refSwitchUnpool,
  refUpsampleNearest2x,
  refWindowSum2x2,
  switchUnpool,
  upsampleNearest2x,
  windowSum2x2,
  type Shape4,
} from '../src/index.js';
import { maxPoolAndSwitchesByArgmaxKernel, maxPoolAndSwitchesByKernels } from '../src/switches.js';
import { awkwardWindows, BACKENDS, expectClose, fromTensor, rng, toTensor, uniform } from './helpers.js';

// Batch > 1, non-square, odd pooled sizes and channel counts of 1 and more.
const SHAPES: Shape4[] = [
  [2, 4, 6, 3],
  [3, 2, 8, 1],
  [1, 6, 4, 5],
];
const half = ([n, h, w, c]: Shape4): Shape4 => [n, h / 2, w / 2, c];

describe.each(BACKENDS)('forward on %s', (backend) => {
  beforeAll(async () => {
    expect(await selectBackend(backend)).toBe(backend);
  });

  it.each(SHAPES)('maxPool2x2 and maxPoolWithSwitches match the loop reference at [%i,%i,%i,%i]', async (...shape) => {
    const x = awkwardWindows(shape, rng(shape.reduce((a, b) => a * 10 + b, 1)));
    const ref = refMaxPoolWithSwitches(x);
    const xt = toTensor(x);
    const { pooled, switches } = maxPoolWithSwitches(xt);
    expect(switches.dtype).toBe('int32');
    expect((await fromTensor(switches)).data).toEqual(ref.switches.data);
    expect((await fromTensor(pooled)).data).toEqual(ref.pooled.data);
    expect((await fromTensor(maxPool2x2(xt))).data).toEqual(ref.pooled.data);
    tf.dispose([xt, pooled, switches]);
  });

  // maxPoolWithSwitches picks one of these by backend (the runtime's argmax kernel on cpu and wasm); both
  // must agree with the reference everywhere, since the composed version is what webgpu gets.
  const IMPLEMENTATIONS = [
    ['argmax kernel', maxPoolAndSwitchesByArgmaxKernel],
    ['kernels', maxPoolAndSwitchesByKernels],
  ] as const;

  it.each(IMPLEMENTATIONS)('switch computation by %s matches the loop reference on awkward windows', async (_, impl) => {
    for (const shape of SHAPES) {
      const x = awkwardWindows(shape, rng(shape[3] * 7 + 1));
      const ref = refMaxPoolWithSwitches(x);
      const xt = toTensor(x);
      const { pooled, switches } = impl(xt);
      expect(switches.dtype).toBe('int32');
      expect(switches.shape).toEqual(half(shape));
      expect((await fromTensor(switches)).data).toEqual(ref.switches.data);
      expect((await fromTensor(pooled)).data).toEqual(ref.pooled.data);
      tf.dispose([xt, pooled, switches]);
    }
  });

  it.each(IMPLEMENTATIONS)('switches by %s of all-zero windows after a ReLU point into their own window', async (_, impl) => {
    // Stock wasm MaxPoolWithArgmax returns index 0 (and value 1.18e-38) for every window whose maximum
    // is <= 0, i.e. each dead-ReLU window; with batch > 1 index 0 is not even in the same image.
    const shape: Shape4 = [2, 4, 4, 2];
    const pre = uniform(shape, rng(37), -1, 1);
    for (const b of [0, 1]) for (const [i, j] of [[0, 2], [0, 3], [1, 2], [1, 3]]) for (const c of [0, 1]) {
      pre.data[((b * 4 + i) * 4 + j) * 2 + c] = -0.5;
    }
    const xt = tf.relu(toTensor(pre)) as tf.Tensor4D;
    const { pooled, switches } = impl(xt);
    const s = (await fromTensor(switches)).data;
    const ref = refMaxPoolWithSwitches(await fromTensor(xt));
    for (const b of [0, 1]) for (const c of [0, 1]) {
      // pooled position (b, 0, 1, c) -> first window position (b, 0, 2, c)
      expect(s[((b * 2 + 0) * 2 + 1) * 2 + c]).toBe(((b * 4 + 0) * 4 + 2) * 2 + c);
    }
    expect(s).toEqual(ref.switches.data);
    expect((await fromTensor(pooled)).data).toEqual(ref.pooled.data);
  });

  it('switches of all-zero windows after a ReLU point to the first position of their own window', async () => {
    // Stock wasm MaxPoolWithArgmax returns index 0 (and value 1.18e-38) for every window whose maximum
    // is <= 0, i.e. each dead-ReLU window; with batch > 1 index 0 is not even in the same image.
    const shape: Shape4 = [2, 4, 4, 2];
    const rand = rng(19);
    const pre = uniform(shape, rand, -1, 1);
    // Window (row 0, col 1) of both images, both channels, is negative before the ReLU.
    for (const b of [0, 1]) for (const [i, j] of [[0, 2], [0, 3], [1, 2], [1, 3]]) for (const c of [0, 1]) {
      pre.data[((b * 4 + i) * 4 + j) * 2 + c] = -0.5;
    }
    const xt = tf.relu(toTensor(pre)) as tf.Tensor4D;
    const x = await fromTensor(xt);
    const { pooled, switches } = maxPoolWithSwitches(xt);
    const s = (await fromTensor(switches)).data;
    const ref = refMaxPoolWithSwitches(x);
    expect(s).toEqual(ref.switches.data);
    for (const b of [0, 1]) for (const c of [0, 1]) {
      // pooled position (b, 0, 1, c) -> first window position (b, 0, 2, c)
      expect(s[((b * 2 + 0) * 2 + 1) * 2 + c]).toBe(((b * 4 + 0) * 4 + 2) * 2 + c);
    }
    expect((await fromTensor(pooled)).data).toEqual(ref.pooled.data);
    const y = toTensor(uniform(half(shape), rand));
    const out = await fromTensor(switchUnpool(y, switches, shape));
    expect(out.data).toEqual(refSwitchUnpool(await fromTensor(y), ref.switches, shape).data);
  });

  it.each(SHAPES)('switchUnpool matches the loop reference at [%i,%i,%i,%i]', async (...shape) => {
    const rand = rng(3);
    const x = awkwardWindows(shape, rand);
    const y = uniform(half(shape), rand);
    const { switches } = refMaxPoolWithSwitches(x);
    const out = switchUnpool(toTensor(y), toTensor(switches, 'int32'), shape);
    expect((await fromTensor(out)).data).toEqual(refSwitchUnpool(y, switches, shape).data);
  });

  it.each(SHAPES)('ratioUnpool matches the loop reference at [%i,%i,%i,%i]', async (...shape) => {
    const rand = rng(5);
    const x = awkwardWindows(shape, rand);
    const p = refMaxPoolWithSwitches(x).pooled;
    const y = uniform(half(shape), rand, -3, 3);
    const out = await fromTensor(ratioUnpool(toTensor(y), toTensor(x), toTensor(p)));
    expect(out.data.every(Number.isFinite)).toBe(true);
    expectClose(out, refRatioUnpool(y, x, p), 'ratioUnpool');
    // Exactly 0 where p == 0, including windows of negative prePool under a maximum of 0.
    const up = refUpsampleNearest2x(p).data;
    const atZero = out.data.filter((_, i) => up[i] === 0);
    expect(x.data.some((v, i) => up[i] === 0 && v < 0)).toBe(true);
    expect(atZero.every((v) => v === 0)).toBe(true);
  });

  it('ratioUnpool accepts a pooled tensor that is not the max pool of prePool', async () => {
    // The op is defined for any p; only the decoder's use ties p to max pooling.
    const rand = rng(9);
    const shape: Shape4 = [2, 2, 4, 2];
    const x = uniform(shape, rand, -2, 2);
    const p = uniform(half(shape), rand, -2, 2);
    p.data[1] = 0;
    p.data[4] = -0;
    const y = uniform(half(shape), rand, -2, 2);
    const out = await fromTensor(ratioUnpool(toTensor(y), toTensor(x), toTensor(p)));
    expectClose(out, refRatioUnpool(y, x, p), 'ratioUnpool with arbitrary p');
  });

  it.each(SHAPES)('nearestUnpool, upsampleNearest2x and windowSum2x2 match the loop reference at [%i,%i,%i,%i]', async (...shape) => {
    const rand = rng(13);
    const y = uniform(half(shape), rand, -2, 2);
    const expected = refUpsampleNearest2x(y).data;
    expect((await fromTensor(nearestUnpool(toTensor(y)))).data).toEqual(expected);
    expect((await fromTensor(upsampleNearest2x(toTensor(y)))).data).toEqual(expected);
    const t = uniform(shape, rand, -2, 2);
    expectClose(await fromTensor(windowSum2x2(toTensor(t))), refWindowSum2x2(t), 'windowSum2x2');
  });

  it('keeps no tensors beyond the ones it returns, forward and backward', async () => {
    const rand = rng(17);
    const shape: Shape4 = [2, 4, 4, 3];
    const x = toTensor(awkwardWindows(shape, rand));
    const y = toTensor(uniform(half(shape), rand));
    const before = tf.memory().numTensors;
    const { pooled, switches } = maxPoolWithSwitches(x);
    const outs = [
      pooled,
      switches,
      maxPool2x2(x),
      switchUnpool(y, switches, shape),
      ratioUnpool(y, x, pooled),
      nearestUnpool(y),
      upsampleNearest2x(y),
      windowSum2x2(x),
    ];
    expect(tf.memory().numTensors).toBe(before + outs.length);
    tf.dispose(outs);
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => {
      const s = maxPoolWithSwitches(a as tf.Tensor4D);
      const m = maxPool2x2(a as tf.Tensor4D);
      return tf.addN([
        switchUnpool(b as tf.Tensor4D, s.switches, shape).sum(),
        ratioUnpool(b as tf.Tensor4D, a as tf.Tensor4D, m).sum(),
        nearestUnpool(s.pooled).sum(),
      ]);
    })([x, y]);
    expect(tf.memory().numTensors).toBe(before + grads.length);
    tf.dispose([...grads, x, y]);
  });
});
