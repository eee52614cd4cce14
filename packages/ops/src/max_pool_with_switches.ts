import * as tf from '@tensorflow/tfjs';
import { maxPoolAndSwitches, scatterAtSwitches } from './switches.js';
import { assertPoolable } from './validate.js';

export interface PooledWithSwitches {
  /** [N,H/2,W/2,C] window maxima. */
  pooled: tf.Tensor4D;
  /** [N,H/2,W/2,C] int32 flat NHWC index (batch included) of each maximum; see maxPoolAndSwitches. */
  switches: tf.Tensor4D;
}

/**
 * 2x2 stride-2 max pooling that also returns SegNet's switches: for every output, the int32 flat NHWC
 * index `((n*H + h)*W + w)*C + c` (batch included) of the window position holding the maximum, the first
 * one in row-major window order on ties. Exact on every backend, including wasm, whose own
 * MaxPoolWithArgmax is wrong for windows with maximum <= 0.
 *
 * Differentiable w.r.t. `x` through `pooled`: the gradient goes to the switch positions (a scatter), so
 * encoder and decoder route gradients through the same positions. The switches themselves carry no
 * gradient.
 */
export function maxPoolWithSwitches(x: tf.Tensor4D): PooledWithSwitches {
  assertPoolable('maxPoolWithSwitches', 'x', x);
  let kept: tf.Tensor4D | undefined;
  // The switches are computed inside the customGrad forward, where tfjs records nothing on the gradient
  // tape: computed outside, the tape would hold the kernel version's full-size temporaries until the
  // backward pass.
  // That forward runs in a tidy, so they leave it kept and are re-owned by the caller's scope below.
  const pool = tf.customGrad((xIn: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
    const xs = xIn as tf.Tensor4D;
    const { pooled, switches } = maxPoolAndSwitches(xs);
    kept = tf.keep(switches);
    (save as tf.GradSaveFunc)([switches]);
    return {
      value: pooled,
      gradFunc: (dy: tf.Tensor, [savedSwitches]: tf.Tensor[]) =>
        scatterAtSwitches(dy as tf.Tensor4D, savedSwitches as tf.Tensor4D, xs.shape),
    };
  }) as (x: tf.Tensor4D) => tf.Tensor4D;
  const pooled = pool(x);
  const switches = kept!.clone();
  kept!.dispose();
  return { pooled, switches };
}
