import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { selectBackend } from '@unpool/runtime';
import { BN_EPSILON, batchNorm } from '../src/index.js';

/** Textbook batch norm from differentiable primitives; its autodiff gradient is the reference. */
function reference(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D): tf.Tensor4D {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, BN_EPSILON))), gamma), beta) as tf.Tensor4D;
}

describe.each(['cpu', 'wasm'])('batch norm closed-form gradient (%s)', (backend) => {
  beforeAll(async () => {
    await selectBackend(backend as 'cpu' | 'wasm');
  });

  test('matches autodiff of the textbook formula for x, gamma and beta', () => {
    const x = tf.randomNormal([3, 4, 5, 6], 1, 2, 'float32', 1) as tf.Tensor4D;
    const gamma = tf.randomUniform([6], 0.5, 1.5, 'float32', 2) as tf.Tensor1D;
    const beta = tf.randomNormal([6], 0, 1, 'float32', 3) as tf.Tensor1D;
    const dy = tf.randomNormal([3, 4, 5, 6], 0, 1, 'float32', 4);
    const params = {
      gamma: tf.variable(gamma) as tf.Variable<tf.Rank.R1>,
      beta: tf.variable(beta) as tf.Variable<tf.Rank.R1>,
      mean: tf.variable(tf.zeros([6]), false) as tf.Variable<tf.Rank.R1>,
      variance: tf.variable(tf.ones([6]), false) as tf.Variable<tf.Rank.R1>,
    };
    const ours = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      params.gamma.assign(g as tf.Tensor1D);
      params.beta.assign(b as tf.Tensor1D);
      return tf.sum(tf.mul(batchNorm(a as tf.Tensor4D, { ...params, gamma: g as never, beta: b as never }, true), dy));
    })([x, gamma, beta]);
    const ref = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(reference(a as tf.Tensor4D, g as tf.Tensor1D, b as tf.Tensor1D), dy)))([x, gamma, beta]);
    for (let i = 0; i < 3; i++) {
      const err = tf.max(tf.abs(tf.sub(ours[i], ref[i]))).dataSync()[0];
      const scale = tf.max(tf.abs(ref[i])).dataSync()[0];
      expect(err / scale).toBeLessThan(1e-4);
    }
    const yOurs = batchNorm(x, params, true);
    const yRef = reference(x, params.gamma, params.beta);
    expect(tf.max(tf.abs(tf.sub(yOurs, yRef))).dataSync()[0]).toBeLessThan(1e-4);
  });
});
