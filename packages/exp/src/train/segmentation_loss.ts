import * as tf from '@tensorflow/tfjs';
import { VOID_LABEL } from '@unpool/metrics';

export { VOID_LABEL };

/**
 * Pixel-wise softmax cross-entropy, weighted per class. `classWeights` has one entry per logit channel;
 * the void label (255) maps to the last channel, and a zero weight there ignores void pixels entirely
 * (the Cityscapes convention) while a positive one trains void as a class (the paper's Table 1 has a
 * Void row). The mean is over the weights actually applied, so ignored pixels don't dilute it.
 */
export function segmentationLoss(logits: tf.Tensor4D, labels: tf.Tensor3D, classWeights: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const classes = logits.shape[3];
    const index = tf.where(tf.equal(labels, VOID_LABEL), tf.fill(labels.shape, classes - 1, 'int32'), labels);
    const weights = tf.gather(classWeights, index);
    const onehot = tf.oneHot(index, classes);
    const nll = tf.neg(tf.sum(tf.mul(onehot, tf.logSoftmax(logits)), -1));
    return tf.div(tf.sum(tf.mul(nll, weights)), tf.maximum(tf.sum(weights), 1e-6)) as tf.Scalar;
  });
}
