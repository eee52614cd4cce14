import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, test } from 'vitest';
import { selectBackend } from '@unpool/runtime';
import { Optimizer, learningRate, medianFrequencyWeights, segmentationLoss, uniformWeights } from '../src/index.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

test('loss: void pixels are ignored with weight 0 and count as the last class otherwise', () => {
  // One image, 1x2 pixels, 3 channels (2 classes + void).
  const logits = tf.tensor4d([[[[2, 0, 0], [0, 0, 3]]]]);
  const labels = tf.tensor3d([[[0, 255]]], undefined, 'int32');
  const lse = (v: number[]) => Math.log(v.reduce((s, x) => s + Math.exp(x), 0));
  const nll0 = lse([2, 0, 0]) - 2;
  const nllVoid = lse([0, 0, 3]) - 3;
  const ignore = segmentationLoss(logits, labels, tf.tensor1d([1, 1, 0])).dataSync()[0];
  expect(ignore).toBeCloseTo(nll0, 5);
  const asClass = segmentationLoss(logits, labels, tf.tensor1d([1, 1, 1])).dataSync()[0];
  expect(asClass).toBeCloseTo((nll0 + nllVoid) / 2, 5);
  const weighted = segmentationLoss(logits, labels, tf.tensor1d([3, 1, 1])).dataSync()[0];
  expect(weighted).toBeCloseTo((3 * nll0 + nllVoid) / 4, 5);
});

test('median-frequency weights', () => {
  // frequencies of 3 classes + void; median of present classes (0.1, 0.2, 0.6) is 0.2.
  expect(medianFrequencyWeights([0.6, 0.1, 0.2, 0.1], false)).toEqual([0.2 / 0.6, 2, 1, 0]);
  // Void included: median of (0.1, 0.1, 0.2, 0.6) = 0.15.
  const w = medianFrequencyWeights([0.6, 0.1, 0.2, 0.1], true);
  expect(w[3]).toBeCloseTo(1.5);
  expect(medianFrequencyWeights([0.5, 0, 0.5, 0], false)[1]).toBe(0);
  expect(uniformWeights(3, false)).toEqual([1, 1, 0]);
});

test('learning-rate schedules', () => {
  expect(learningRate(1, 'constant', 50, 100)).toBe(1);
  expect(learningRate(1, 'poly', 50, 100)).toBeCloseTo(0.5 ** 0.9);
  expect(learningRate(1, 'cosine', 50, 100)).toBeCloseTo(0.5);
  expect(learningRate(1, 'cosine', 100, 100)).toBeCloseTo(0);
});

test('Adam matches the textbook update and restores from its state by name', () => {
  const p = tf.variable(tf.tensor1d([1, -2]));
  const params = new Map([['w', p]]);
  const opt = new Optimizer({ name: 'adam', lr: 0.1 });
  const g = tf.tensor1d([0.5, -1]);
  opt.apply(params, new Map([['w', g]]), 0.1);
  // First Adam step moves every coordinate by lr * sign(g) (up to epsilon).
  const after1 = Array.from(p.dataSync());
  expect(after1[0]).toBeCloseTo(0.9, 5);
  expect(after1[1]).toBeCloseTo(-1.9, 5);
  // Continue in a clone restored from the saved state: both must take the same second step.
  const q = tf.variable(p.clone());
  const restored = new Optimizer({ name: 'adam', lr: 0.1 });
  restored.restore(opt.t, new Map(opt.state().map((s) => [s.name, s.tensor.clone()])));
  const g2 = tf.tensor1d([0.1, 0.3]);
  opt.apply(params, new Map([['w', g2]]), 0.1);
  restored.apply(new Map([['w', q]]), new Map([['w', g2]]), 0.1);
  expect(Array.from(q.dataSync())).toEqual(Array.from(p.dataSync()));
  expect(() => new Optimizer({ name: 'adam', lr: 0 })).toThrow(/lr/);
});

test('SGD with momentum', () => {
  const p = tf.variable(tf.tensor1d([1]));
  const opt = new Optimizer({ name: 'sgd', lr: 0.1, momentum: 0.9 });
  opt.apply(new Map([['w', p]]), new Map([['w', tf.tensor1d([1])]]), 0.1);
  opt.apply(new Map([['w', p]]), new Map([['w', tf.tensor1d([1])]]), 0.1);
  // v1 = 1, p = 0.9; v2 = 1.9, p = 0.71.
  expect(p.dataSync()[0]).toBeCloseTo(0.71, 5);
});
