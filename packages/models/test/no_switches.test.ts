import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, test, vi } from 'vitest';
import * as ops from '@unpool/ops';
import { selectBackend } from '@unpool/runtime';
import { createSegNet, segnetConfig, segnetForward } from '../src/index.js';

// Count calls of the switch-producing pooling without changing what it computes.
vi.mock('@unpool/ops', async (importOriginal) => {
  const original = await importOriginal<typeof import('@unpool/ops')>();
  return { ...original, maxPoolWithSwitches: vi.fn(original.maxPoolWithSwitches) };
});

beforeAll(async () => {
  await selectBackend('cpu');
});

test.each([
  ['ratio', 0],
  ['nearest', 0],
  ['switch', 3],
] as const)('a %s model computes switches at %i poolings in a training step', (unpool, expected) => {
  const spy = vi.mocked(ops.maxPoolWithSwitches);
  spy.mockClear();
  const c = segnetConfig({ widths: [4, 8, 8], convsPerBlock: [1, 1, 1], unpool });
  const m = createSegNet(c, 3);
  const x = tf.randomUniform([1, 16, 16, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
  const { value, grads } = tf.variableGrads(() => tf.mean(segnetForward(c, m.params, x, { training: true, dropoutSeed: null })) as tf.Scalar, m.trainable);
  tf.dispose([value, x, ...Object.values(grads)]);
  m.dispose();
  expect(spy).toHaveBeenCalledTimes(expected);
});
