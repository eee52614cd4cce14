import type { UnpoolMode } from '@unpool/models';
import { divNoNan } from './autodiff/composites.js';
import { attr } from './graph_builder.js';
import type { Tape, Value } from './autodiff/tape.js';

/**
 * The unpooling family as ONNX nodes on NCHW tensors, one entry per mode: the ONNX counterpart of
 * `UNPOOL_REGISTRY` in @unpool/models. Each reproduces the tfjs op of `@unpool/ops` exactly (float results
 * agree bit for bit wherever both sides use IEEE division and multiplication). Their gradients are not
 * written here: the tape differentiates the nodes they emit with the per-op rules (autodiff/grad_rules.ts).
 */

const WINDOW = [attr.ints('kernel_shape', [2, 2]), attr.ints('strides', [2, 2])];

/** What a pool hands its unpooling: the pre-pool and pooled tensors, and the argmax when asked for. */
export interface OnnxSkip {
  prePool: Value;
  pooled: Value;
  /** MaxPool's Indices (int64, NCHW-flat, batch included). */
  indices?: Value;
}

/**
 * 2x2 stride-2 max pooling. With `withIndices` it also keeps MaxPool's `Indices` output: int64 flat
 * indices of the maxima in the NCHW tensor, `((n*C + c)*H + h)*W + w`. They differ in layout from
 * `maxPoolWithSwitches`' NHWC switches but name the same window position: on ties ORT's MaxPool keeps the
 * first maximum in row-major window order (strict `>` scan), as our tfjs switches do; the pattern tests
 * pin that, all-zero windows included. Training graphs always take them (the pooling gradient needs them).
 */
export function emitMaxPool(t: Tape, x: Value, withIndices: boolean): OnnxSkip {
  if (!withIndices) return { prePool: x, pooled: t.op('MaxPool', [x], WINDOW)[0] };
  const [pooled, indices] = t.op('MaxPool', [x], WINDOW, { outputs: 2 });
  return { prePool: x, pooled, indices };
}

/**
 * Nearest 2x upsampling: `out[n,c,h,w] = y[n,c,floor(h/2),floor(w/2)]`. asymmetric + floor is the exact
 * block copy and stays exact for any integer scale.
 */
export function emitNearestUpsample(t: Tape, y: Value): Value {
  return t.op('Resize', [y, t.omitted(), t.floats([1, 1, 2, 2])], [
    attr.string('mode', 'nearest'),
    attr.string('coordinate_transformation_mode', 'asymmetric'),
    attr.string('nearest_mode', 'floor'),
  ])[0];
}

export interface OnnxUnpool {
  /** The pool must keep MaxPool's Indices for the forward pass (not only for the gradient). */
  needsIndices: boolean;
  emit(t: Tape, y: Value, skip: OnnxSkip): Value;
}

export const ONNX_UNPOOL: Record<UnpoolMode, OnnxUnpool> = {
  /**
   * MaxUnpool writes each value of y at the flat index its switch names, zeros elsewhere. No `output_shape`
   * input: the inferred size (2h, 2w) is the pre-pool size because SegNet inputs are divisible by
   * 2^blocks, and ORT's MaxUnpool would treat `output_shape` as the allocation shape only (PyTorch
   * semantics), which would hide a mismatch rather than fix it.
   */
  switch: {
    needsIndices: true,
    emit: (t, y, skip) => t.op('MaxUnpool', [y, skip.indices!], WINDOW)[0],
  },
  /** up(y / p) * x with the ratio 0 where the pooled value p is 0 (tfjs' divNoNan). */
  ratio: {
    needsIndices: false,
    emit: (t, y, skip) => t.op('Mul', [emitNearestUpsample(t, divNoNan(t, y, skip.pooled)), skip.prePool])[0],
  },
  nearest: {
    needsIndices: false,
    emit: (t, y) => emitNearestUpsample(t, y),
  },
};
