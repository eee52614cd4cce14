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

/** Stochastic passes an MC-dropout prediction makes: `mcSamples` (default 25) for a Bayesian model, else 1. */
export function mcPassCount(config: SegNetConfig, mcSamples: number | undefined): number {
  return config.bayesian ? Math.max(1, mcSamples ?? 25) : 1;
}

/**
 * Dropout seed of MC pass `pass` of a prediction seeded `seed`: shared by every engine, so a seed fixes
 * the MC masks whichever engine predicts.
 */
export function mcPassSeed(seed: number, pass: number): number {
  return siteSeed(seed, 1000 + pass);
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
  const samples = mcPassCount(config, options.mcSamples);
  if (samples === 1) {
    return tf.tidy(() => tf.softmax(segnetForward(config, params, images, { training: false, dropoutSeed: null })));
  }
  const seed = options.seed ?? 0;
  const [b, h, w] = images.shape;
  let sum: tf.Tensor4D = tf.zeros([b, h, w, config.classes]);
  for (let s = 0; s < samples; s++) {
    const next = tf.tidy(() =>
      tf.add(sum, tf.softmax(segnetForward(config, params, images, { training: false, dropoutSeed: mcPassSeed(seed, s) }))),
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
