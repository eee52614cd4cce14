import * as tf from '@tensorflow/tfjs';

/**
 * The inverted-dropout multiplier: 0 with probability `rate`, else 1 / (1 - rate), drawn from tfjs'
 * seeded uniform RNG exactly as `tf.dropout` draws it (floor(u + keep) / keep), so a pass that multiplies
 * by this mask equals `tf.dropout` with the same seed bit for bit. Engines that run the SegNet outside
 * tfjs (ONNX Runtime) feed the same masks, so a seed fixes the dropout masks whichever engine trains.
 */
export function dropoutMask(shape: readonly number[], rate: number, seed: number): tf.Tensor {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropoutMask: rate must be in [0, 1), got ${rate}`);
  const keep = 1 - rate;
  return tf.tidy(() => tf.div(tf.floor(tf.add(tf.randomUniform([...shape], 0, 1, 'float32', seed), keep)), keep));
}
