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
 * Training-mode batch norm over N, H, W with its closed-form gradient. tfjs' own FusedBatchNorm gradient
 * tiles every per-channel vector to the full activation size (a Tile kernel that took 40% of a SegNet-mini
 * step on wasm); the closed form needs only broadcasts and three reductions:
 *   dbeta = sum(dy), dgamma = sum(dy * xhat), dx = gamma * rstd / M * (M * dy - dbeta - xhat * dgamma)
 * with M = N*H*W. The batch moments come back too, for the running statistics.
 */
function batchNormTraining(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D): { y: tf.Tensor4D; mean: tf.Tensor1D; variance: tf.Tensor1D } {
  let moments: { mean: tf.Tensor1D; variance: tf.Tensor1D } | undefined;
  const f = tf.customGrad((xIn: tf.Tensor | tf.GradSaveFunc, gIn: tf.Tensor | tf.GradSaveFunc, bIn: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
    const xs = xIn as tf.Tensor4D;
    const g = gIn as tf.Tensor1D;
    const { mean, variance } = tf.moments(xs, [0, 1, 2]);
    const rstd = tf.rsqrt(tf.add(variance, BN_EPSILON));
    const xhat = tf.mul(tf.sub(xs, mean), rstd);
    const y = tf.add(tf.mul(xhat, g), bIn as tf.Tensor1D);
    // The forward runs inside a tidy: keep the moments for the caller's running-statistics update.
    moments = { mean: tf.keep(mean) as tf.Tensor1D, variance: tf.keep(variance) as tf.Tensor1D };
    (save as tf.GradSaveFunc)([xhat, rstd, g]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xh, rs, gm] = saved;
        const m = xs.shape[0] * xs.shape[1] * xs.shape[2];
        const dbeta = tf.sum(dy, [0, 1, 2]);
        const dgamma = tf.sum(tf.mul(dy, xh), [0, 1, 2]);
        const scale = tf.div(tf.mul(gm, rs), m);
        const dx = tf.mul(tf.sub(tf.sub(tf.mul(dy, m), dbeta), tf.mul(xh, dgamma)), scale);
        return [dx, dgamma, dbeta];
      },
    };
  });
  const y = f(x, gamma, beta) as tf.Tensor4D;
  return { y, ...moments! };
}

/**
 * Batch norm over N, H, W. In training it normalises with the batch's own moments and folds them into the
 * running statistics; the running update is a side effect on non-trainable variables, so it is invisible
 * to the gradient tape.
 */
export function batchNorm(x: tf.Tensor4D, p: BatchNormParams, training: boolean): tf.Tensor4D {
  if (!training) return tf.batchNorm4d(x, p.mean, p.variance, p.beta, p.gamma, BN_EPSILON);
  const { y, mean, variance } = batchNormTraining(x, p.gamma, p.beta);
  updateRunningStats(p, mean, variance, x.shape[0] * x.shape[1] * x.shape[2]);
  tf.dispose([mean, variance]);
  return y;
}

/**
 * Folds one batch's (biased) moments over `count` values into the running statistics. Shared by every
 * engine that trains a SegNet, so they all keep the same running averages.
 */
export function updateRunningStats(
  p: Pick<BatchNormParams, 'mean' | 'variance'>,
  mean: tf.Tensor1D,
  variance: tf.Tensor1D,
  count: number,
): void {
  tf.tidy(() => {
    p.mean.assign(tf.add(tf.mul(p.mean, BN_MOMENTUM), tf.mul(mean, 1 - BN_MOMENTUM)));
    // Unbiased variance for the running estimate, as inference sees single images.
    const unbiased = count > 1 ? tf.mul(variance, count / (count - 1)) : variance;
    p.variance.assign(tf.add(tf.mul(p.variance, BN_MOMENTUM), tf.mul(unbiased, 1 - BN_MOMENTUM)));
  });
}
