import * as tf from '@tensorflow/tfjs';
import { gatherAtSwitches, scatterAtSwitches } from './switches.js';
import { assertNhwc, assertSameShape, formatShape, unpooledShape } from './validate.js';

function assertOutShape(op: string, outShape: unknown, y: tf.Tensor4D): asserts outShape is readonly number[] {
  const expected = unpooledShape(y.shape);
  const ok =
    Array.isArray(outShape) && outShape.length === 4 && outShape.every((d, i) => d === expected[i]);
  if (!ok) {
    const got = Array.isArray(outShape) ? formatShape(outShape) : String(outShape);
    throw new Error(`${op}: 'outShape' is ${got} but 'y' has ${formatShape(y.shape)} (expected ${formatShape(expected)})`);
  }
}

/**
 * SegNet's switch ("bed of nails") unpooling: each value of the decoder tensor `y` [N,h,w,C] goes to the
 * position its switch names in a zero tensor of `outShape` = [N,2h,2w,C]; the other three positions of
 * each 2x2 window stay 0. `switches` come from maxPoolWithSwitches (int32 flat NHWC indices, batch
 * included, same shape as `y`); they are trusted to lie in their windows, not re-checked (that would
 * mean reading them back from the device).
 *
 * Differentiable w.r.t. `y`: the gradient gathers the incoming gradient at the switch positions.
 */
export function switchUnpool(y: tf.Tensor4D, switches: tf.Tensor, outShape: readonly number[]): tf.Tensor4D {
  const op = 'switchUnpool';
  assertNhwc(op, 'y', y);
  assertNhwc(op, 'switches', switches, 'int32');
  assertSameShape(op, 'switches', switches, 'y', y);
  assertOutShape(op, outShape, y);
  const shape = [...outShape];
  const unpool = tf.customGrad((yIn: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
    // Saved rather than captured: the caller may dispose its switches before the backward pass.
    (save as tf.GradSaveFunc)([switches]);
    return {
      value: scatterAtSwitches(yIn as tf.Tensor4D, switches as tf.Tensor4D, shape),
      gradFunc: (dy: tf.Tensor, [savedSwitches]: tf.Tensor[]) =>
        gatherAtSwitches(dy as tf.Tensor4D, savedSwitches as tf.Tensor4D),
    };
  }) as (y: tf.Tensor4D) => tf.Tensor4D;
  return unpool(y);
}
