import * as tf from '@tensorflow/tfjs';
import { upsample2x, windowSum2x2 } from './upsample_nearest_2x.js';
import { assertNhwc, assertPoolable, assertSameShape, assertUnpoolsTo } from './validate.js';

/** a / p elementwise, 0 where p == 0 (also for a = 0 or a negative numerator): never NaN from p = 0. */
function ratioOrZero(a: tf.Tensor, p: tf.Tensor): tf.Tensor {
  return tf.divNoNan(a, p);
}

/*
 * Gradients, derived by hand. With r = y/p (0 where p == 0), out = up(r) * x and incoming gradient g
 * (full size), where up() is nearest 2x upsampling and S() its adjoint, the 2x2 window sum:
 *   d/dx = up(r) * g
 *   d/dy = S(g * x) / p                      (0 where p == 0)
 *   d/dp = -S(g * x) * y / p^2 = -(d/dy) * r  (0 where p == 0)
 * tfjs has no gradient for the equal/where inside divNoNan, hence the customGrad. Only the inputs are
 * saved; r is recomputed in the backward pass (a pooled-size division) instead of being kept.
 */
const ratioUnpoolWithGrad = tf.customGrad(
  (
    y: tf.Tensor | tf.GradSaveFunc,
    x: tf.Tensor | tf.GradSaveFunc,
    p: tf.Tensor | tf.GradSaveFunc,
    save: tf.Tensor | tf.GradSaveFunc,
  ) => {
    (save as tf.GradSaveFunc)([y as tf.Tensor, x as tf.Tensor, p as tf.Tensor]);
    // Divide at pooled size, then upsample: 4x fewer divisions than up(y) / up(p).
    const r = ratioOrZero(y as tf.Tensor, p as tf.Tensor) as tf.Tensor4D;
    return {
      value: tf.mul(upsample2x(r), x as tf.Tensor),
      gradFunc: (g: tf.Tensor, [ys, xs, ps]: tf.Tensor[]) => {
        const rs = ratioOrZero(ys, ps) as tf.Tensor4D;
        const dx = tf.mul(upsample2x(rs), g);
        const dy = ratioOrZero(windowSum2x2(tf.mul(g, xs) as tf.Tensor4D), ps);
        const dp = tf.neg(tf.mul(dy, rs));
        return [dy, dx, dp];
      },
    };
  },
) as (y: tf.Tensor4D, prePool: tf.Tensor4D, pooled: tf.Tensor4D) => tf.Tensor4D;

/**
 * Ratio unpooling: `upsample_nearest_2x(y / pooled) * prePool`, where `prePool` [N,H,W,C] is the encoder
 * tensor before 2x2 max pooling, `pooled` [N,H/2,W/2,C] its max pooling and `y` the decoder tensor at
 * pooled size. The ratio is taken before upsampling (4x fewer divisions) and is 0 where `pooled` is 0,
 * so the output never holds NaN or Inf because of a zero window. (A subnormal `pooled` can still
 * overflow the ratio: the same holds for the ONNX Where(Equal(p,0),0,Div(y,p)) form.)
 *
 * Differentiable w.r.t. all three inputs, so `ratioUnpool(y, x, maxPool2x2(x))` trains x both directly
 * and through `pooled` (routed by max pooling's own gradient).
 */
export function ratioUnpool(y: tf.Tensor4D, prePool: tf.Tensor4D, pooled: tf.Tensor4D): tf.Tensor4D {
  const op = 'ratioUnpool';
  assertNhwc(op, 'y', y);
  assertPoolable(op, 'prePool', prePool);
  assertNhwc(op, 'pooled', pooled);
  assertSameShape(op, 'pooled', pooled, 'y', y);
  assertUnpoolsTo(op, 'prePool', prePool.shape, 'pooled', pooled);
  return ratioUnpoolWithGrad(y, prePool, pooled);
}
