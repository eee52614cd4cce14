import * as tf from '@tensorflow/tfjs';
import { assertPoolable } from './validate.js';

/**
 * 2x2 stride-2 max pooling of an NHWC tensor with even height and width, [N,H,W,C] -> [N,H/2,W/2,C].
 * Differentiable w.r.t. `x` through the backend's MaxPoolGrad kernel: each window's gradient goes to its
 * first maximum in row-major order, as maxPoolWithSwitches routes it.
 *
 * Why the stock gradient and no custom one: on wasm, `selectBackend('wasm')` from @unpool/runtime
 * replaces the stock MaxPoolGrad (which drops the gradient of every window whose maximum is <= 0 and
 * sends ties to the last position) with a correct one, and that kernel measured 2x faster than routing
 * the gradient through recomputed switches (77 vs 152 ms forward+backward at [8,32,96,256]). On a wasm
 * backend set up without @unpool/runtime the gradient of such windows is wrong; this package's tests
 * check the routing on cpu and wasm.
 */
export function maxPool2x2(x: tf.Tensor4D): tf.Tensor4D {
  assertPoolable('maxPool2x2', 'x', x);
  return tf.maxPool(x, 2, 2, 'valid');
}
