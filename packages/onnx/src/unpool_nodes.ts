import type { UnpoolMode } from '@unpool/models';
import { divNoNan } from './autodiff/composites.js';
import { attr } from './graph_builder.js';
import type { Emitter, Tape, Value } from './autodiff/tape.js';

/**
 * The unpooling family as ONNX nodes on NCHW tensors, one entry per mode: the ONNX counterpart of
 * `UNPOOL_REGISTRY` in @unpool/models. Each reproduces the tfjs op of `@unpool/ops` exactly (float results
 * agree bit for bit wherever both sides use IEEE division and multiplication). Their gradients are not
 * written here: the tape differentiates the nodes they emit with the per-op rules (autodiff/grad_rules.ts).
 */

const WINDOW = [attr.ints('kernel_shape', [2, 2]), attr.ints('strides', [2, 2])];

/**
 * How the argmax of a 2x2 window is spelled in ONNX, an interpretation choice per execution provider:
 * `indices` is MaxPool's Indices output with MaxUnpool (ORT's CPU EP); `windows` is four first-maximum
 * masks over the strided window positions with DepthToSpace for the scatter (ORT's WebGPU EP implements
 * neither MaxPool's Indices nor MaxUnpool). Both pick the same element on ties.
 */
export type PoolLowering = 'indices' | 'windows';

/** What a pool hands its unpooling: the pre-pool and pooled tensors, and the argmax when asked for. */
export interface OnnxSkip {
  prePool: Value;
  pooled: Value;
  /** MaxPool's Indices (int64, NCHW-flat, batch included): the `indices` lowering. */
  indices?: Value;
  /** The `windows` lowering: one float 0/1 mask per window position (row-major), [N,C,H/2,W/2]. */
  windows?: Value[];
}

/**
 * 2x2 stride-2 max pooling. With `withIndices` it also keeps MaxPool's `Indices` output: int64 flat
 * indices of the maxima in the NCHW tensor, `((n*C + c)*H + h)*W + w`. They differ in layout from
 * `maxPoolWithSwitches`' NHWC switches but name the same window position: on ties ORT's MaxPool keeps the
 * first maximum in row-major window order (strict `>` scan), as our tfjs switches do; the pattern tests
 * pin that, all-zero windows included. Training graphs always take them (the pooling gradient needs them).
 */
export function emitMaxPool(t: Tape, x: Value, withIndices: boolean, lowering: PoolLowering = 'indices'): OnnxSkip {
  if (!withIndices) return { prePool: x, pooled: t.op('MaxPool', [x], WINDOW)[0] };
  if (lowering === 'windows') return windowMaxPool(t, x);
  const [pooled, indices] = t.op('MaxPool', [x], WINDOW, { outputs: 2 });
  return { prePool: x, pooled, indices };
}

/** The window position (bh, bw) of every 2x2 window: a stride-2 slice, [N,C,H/2,W/2]. */
function windowSlice(e: Emitter, x: Value, k: number): Value {
  const big = 2 ** 31 - 1;
  return e.node('Slice', [x, e.int64([k >> 1, k & 1]), e.int64([big, big]), e.int64([2, 3]), e.int64([2, 2])])[0];
}

/**
 * Scatters y [N,C,H/2,W/2] into the window positions its masks select, zeros elsewhere: channel blocks in
 * DepthToSpace's DCR order (block (bh, bw) at (2 bh + bw) C), so position k lands at (2h + bh, 2w + bw).
 */
function scatterToWindows(e: Emitter, y: Value, masks: readonly Value[]): Value {
  const [blocks] = e.node('Concat', masks.map((m) => e.node('Mul', [y, m])[0]), [attr.int('axis', 1)]);
  return e.node('DepthToSpace', [blocks], [attr.int('blocksize', 2), attr.string('mode', 'DCR')])[0];
}

/** The adjoint of the scatter: each window's selected element of d, [N,C,H/2,W/2]. */
function gatherFromWindows(e: Emitter, d: Value, masks: readonly Value[]): Value {
  const picked = masks.map((m, k) => e.node('Mul', [windowSlice(e, d, k), m])[0]);
  return picked.reduce((sum, p) => e.node('Add', [sum, p])[0]);
}

/**
 * Max pooling with first-maximum masks: position k is selected where it equals the window maximum and no
 * earlier position (row-major) did, the strict `>` scan of the tfjs switches and of MaxPool's Indices.
 * Its gradient scatters to the selected position, as the Indices form's MaxUnpool does.
 */
function windowMaxPool(t: Tape, x: Value): OnnxSkip {
  const [pooled, ...windows] = t.composite(
    [x],
    (e) => {
      const [p] = e.node('MaxPool', [x], WINDOW);
      const masks: Value[] = [];
      let free = e.float(1);
      for (let k = 0; k < 4; k++) {
        const [hit] = e.node('Cast', [e.node('Equal', [windowSlice(e, x, k), p])[0]], [attr.int('to', 1)]);
        const [m] = e.node('Mul', [hit, free]);
        masks.push(m);
        if (k < 3) [free] = e.node('Sub', [free, m]);
      }
      return { outputs: [p, ...masks], saved: masks };
    },
    (e, _inputs, _outputs, masks, d) => [scatterToWindows(e, d[0]!, masks)],
    [true, false, false, false, false],
  );
  return { prePool: x, pooled, windows };
}

/** Switch unpooling from first-maximum masks (the `windows` lowering); backward gathers at the same positions. */
function windowUnpool(t: Tape, y: Value, masks: readonly Value[]): Value {
  return t.composite(
    [y],
    (e) => ({ outputs: [scatterToWindows(e, y, masks)], saved: null }),
    (e, _inputs, _outputs, _saved, d) => [gatherFromWindows(e, d[0]!, masks)],
  )[0];
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
    emit: (t, y, skip) => (skip.windows ? windowUnpool(t, y, skip.windows) : t.op('MaxUnpool', [y, skip.indices!], WINDOW)[0]),
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
