import * as tf from '@tensorflow/tfjs';
import { upsampleNearest2xUnchecked } from './upsample_nearest_2x.js';
import { assertNhwc } from './validate.js';

/**
 * Nearest-neighbour unpooling, the switch-free control: every value of `y` [N,h,w,C] fills its whole
 * 2x2 block of the [N,2h,2w,C] output. Differentiable: the gradient is the 2x2 window sum.
 */
export function nearestUnpool(y: tf.Tensor4D): tf.Tensor4D {
  assertNhwc('nearestUnpool', 'y', y);
  return upsampleNearest2xUnchecked(y);
}
