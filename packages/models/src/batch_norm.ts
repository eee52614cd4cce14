import * as tf from '@tensorflow/tfjs';

export const BN_EPSILON = 1e-3;
/** Weight of the old running statistic; short CPU runs need it lower than the usual 0.99 to settle. */
export const BN_MOMENTUM = 0.9;

export interface BatchNormParams {
  gamma: tf.Variable<tf.Rank.R1>;
  beta: tf.Variable<tf.Rank.R1>;
  mean: tf.Variable<tf.Rank.R1>;
  variance: tf.Variable<tf.Rank.R1>;
}

/**
 * Batch norm over N, H, W. In training it normalises with the batch's own moments and folds them into the
 * running statistics; the running update is a side effect on non-trainable variables, so it is invisible
 * to the gradient tape.
 */
export function batchNorm(x: tf.Tensor4D, p: BatchNormParams, training: boolean): tf.Tensor4D {
  if (!training) return tf.batchNorm4d(x, p.mean, p.variance, p.beta, p.gamma, BN_EPSILON);
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  tf.tidy(() => {
    p.mean.assign(tf.add(tf.mul(p.mean, BN_MOMENTUM), tf.mul(mean, 1 - BN_MOMENTUM)));
    // Unbiased variance for the running estimate, as inference sees single images.
    const n = x.shape[0] * x.shape[1] * x.shape[2];
    const unbiased = n > 1 ? tf.mul(variance, n / (n - 1)) : variance;
    p.variance.assign(tf.add(tf.mul(p.variance, BN_MOMENTUM), tf.mul(unbiased, 1 - BN_MOMENTUM)));
  });
  return tf.batchNorm4d(x, mean as tf.Tensor1D, variance as tf.Tensor1D, p.beta, p.gamma, BN_EPSILON);
}
