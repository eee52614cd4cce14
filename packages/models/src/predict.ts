import * as tf from '@tensorflow/tfjs';
import { segnetForward } from './segnet.js';
import { siteSeed } from './seeds.js';
import type { SegNetConfig } from './segnet_config.js';
import type { SegNetParams } from './segnet_params.js';

export interface PredictOptions {
  /** Stochastic passes with dropout on (Bayesian SegNet); 1 or a non-Bayesian model = one deterministic pass. */
  mcSamples?: number;
  /** Fixes the MC dropout masks so evaluation is reproducible. */
  seed?: number;
}

/**
 * Class probabilities [B,H,W,classes]: the softmax of one deterministic pass, or for a Bayesian model the
 * softmax averaged over `mcSamples` dropout passes (Monte Carlo dropout, Kendall et al.).
 */
export function predictProbs(
  config: SegNetConfig,
  params: SegNetParams,
  images: tf.Tensor4D,
  options: PredictOptions = {},
): tf.Tensor4D {
  const samples = config.bayesian ? Math.max(1, options.mcSamples ?? 25) : 1;
  if (samples === 1 || !config.bayesian) {
    return tf.tidy(() => tf.softmax(segnetForward(config, params, images, { training: false, dropoutSeed: null })));
  }
  const seed = options.seed ?? 0;
  const [b, h, w] = images.shape;
  let sum: tf.Tensor4D = tf.zeros([b, h, w, config.classes]);
  for (let s = 0; s < samples; s++) {
    const next = tf.tidy(() =>
      tf.add(sum, tf.softmax(segnetForward(config, params, images, { training: false, dropoutSeed: siteSeed(seed, 1000 + s) }))),
    ) as tf.Tensor4D;
    sum.dispose();
    sum = next;
  }
  const mean = tf.div(sum, samples) as tf.Tensor4D;
  sum.dispose();
  return mean;
}

/** Per-pixel predictive entropy (nats) of class probabilities [B,H,W,C] -> [B,H,W]. */
export function predictiveEntropy(probs: tf.Tensor4D): tf.Tensor3D {
  return tf.tidy(() => tf.neg(tf.sum(tf.mul(probs, tf.log(tf.maximum(probs, 1e-12))), -1)) as tf.Tensor3D);
}
