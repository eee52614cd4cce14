import * as tf from '@tensorflow/tfjs';
import { assertNhwc } from './validate.js';

/**
 * Sums each 2x2 stride-2 window: [N,H,W,C] -> [N,H/2,W/2,C]. It is the adjoint of nearest 2x upsampling,
 * hence that op's gradient, and the window sum ratio unpooling's gradients need.
 *
 * avgPool is one XNNPACK kernel on wasm, while a reshape + sum over the two window axes makes tfjs
 * transpose the whole tensor first (3x slower measured at [8,64,192,16]); scaling by 4 is exact.
 */
export function windowSum2x2(t: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.mul(tf.avgPool(t, 2, 2, 'valid'), 4));
}

/** Nearest 2x upsampling without validation or gradient: out[n,h,w,c] = y[n,floor(h/2),floor(w/2),c]. */
export function upsample2x(y: tf.Tensor4D): tf.Tensor4D {
  const [, h, w] = y.shape;
  // No corner alignment and no half-pixel centres: source index = floor(dst / 2), exactly the repeat.
  return tf.image.resizeNearestNeighbor(y, [2 * h, 2 * w], false, false);
}

// The stock ResizeNearestNeighborGrad is a scalar loop on wasm; the window sum is the same adjoint.
const upsampleWithGrad = tf.customGrad((y: tf.Tensor | tf.GradSaveFunc) => ({
  value: upsample2x(y as tf.Tensor4D),
  gradFunc: (dy: tf.Tensor) => windowSum2x2(dy as tf.Tensor4D),
})) as (y: tf.Tensor4D) => tf.Tensor4D;

/** Internal entry for ops that have validated `y` already. */
export function upsampleNearest2xUnchecked(y: tf.Tensor4D): tf.Tensor4D {
  return upsampleWithGrad(y);
}

/**
 * Nearest-neighbour 2x upsampling of an NHWC tensor, [N,H,W,C] -> [N,2H,2W,C]: every value is copied to
 * the four positions of its 2x2 block. Differentiable: the gradient is the 2x2 window sum.
 */
export function upsampleNearest2x(y: tf.Tensor4D): tf.Tensor4D {
  assertNhwc('upsampleNearest2x', 'y', y);
  return upsampleWithGrad(y);
}
