import { emitConv, type ConvLowering } from '../conv_nodes.js';
import { attr, type Attribute } from '../graph_builder.js';
import type { Emitter, GradRule, OpRecord, Value } from './tape.js';

/**
 * One gradient rule per ONNX op the SegNet graphs differentiate, in the spirit of tfjs-core's
 * `gradients/<Kernel>_grad.ts`: each maps the gradients of a node's outputs to the gradients of its inputs
 * using only the node's own inputs, outputs and attributes (typed handles). Elementwise binary rules assume
 * operands of equal shape (the SegNet graphs broadcast only inside composites and against constants).
 * Each rule is tested against central finite differences of its forward (test/grad_rules.test.ts).
 */

function ints(node: OpRecord, name: string): number[] | undefined {
  return node.attrs.find((a: Attribute) => a.name === name)?.ints;
}

/** Only the first output of a node carries a gradient in these rules. */
function first(d: ReadonlyArray<Value | null>, op: string): Value {
  if (!d[0]) throw new Error(`${op} gradient: only its first output is differentiable`);
  return d[0];
}

const want = (node: OpRecord, i: number): boolean => node.inputs[i]?.differentiable ?? false;

function inversePerm(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

/** Sum of each non-overlapping kh x kw window: the adjoint of nearest upsampling by (kh, kw). */
function windowSum(e: Emitter, x: Value, kh: number, kw: number): Value {
  const [avg] = e.node('AveragePool', [x], [attr.ints('kernel_shape', [kh, kw]), attr.ints('strides', [kh, kw])]);
  // Times kh*kw is exact for powers of two: the window sum up to summation order.
  return e.node('Mul', [avg, e.float(kh * kw)])[0];
}

function sumNhw(e: Emitter, x: Value): Value {
  return e.node('ReduceSum', [x, e.int64([0, 2, 3])], [attr.int('keepdims', 0)])[0];
}

/**
 * The k = 2 pad + 1 shifts of `x` [N, C, H, W] along rows (`axis` 2) or columns (3), zero-filled, as one
 * [N, C * k, H * W] tensor: row c * k + j holds channel c with entry p taken from x at p + sign (j - pad). A
 * conv of each channel alone with k one-hot kernels: ORT makes the k copies in its own im2col, one pass,
 * and the result is the operand of a single GEMM (see convWeightGrad).
 */
function shifts(e: Emitter, x: Value, channels: number, k: number, pad: number, axis: 2 | 3, sign: 1 | -1): Value {
  const rows = axis === 2;
  const oneHot = Array.from({ length: k * k }, (_, i) => (i % k === (sign > 0 ? Math.floor(i / k) : k - 1 - Math.floor(i / k)) ? 1 : 0));
  const [kernel] = e.node('Reshape', [e.floats(oneHot), e.int64(rows ? [k, 1, k, 1] : [k, 1, 1, k])]);
  const conv = [attr.ints('kernel_shape', rows ? [k, 1] : [1, k]), attr.ints('pads', rows ? [pad, 0, pad, 0] : [0, pad, 0, pad])];
  const [planes] = e.node('Reshape', [x, e.int64([-1, 1, 0, 0])]);
  const [shifted] = e.node('Conv', [planes, kernel], conv);
  const [perImage] = e.node('Reshape', [shifted, e.int64([-1, channels * k, 0, 0])]);
  return e.node('Reshape', [perImage, e.int64([0, 0, -1])])[0];
}

/**
 * Weight gradient of a stride-1 'same' conv, OIHW like the weight. With (a, b) = (ky - pad, kx - pad),
 *   dW[o, i, ky, kx] = sum_{n,h,w} x[n, i, h + a, w + b] dz[n, o, h, w] = sum x[n, i, h + a, w'] dz[n, o, h, w' - b]
 * so the row shifts go on x, the column shifts on dz, and one [N, Cin*kh, HW] x [N, HW, Cout*kw] GEMM per
 * image gives every tap: wider than per-tap [Cin, Cout] GEMMs (16 x 16 runs at 90 GFLOP/s in MLAS, 48 x 48
 * at 124), from 2k shifted planes per input plane (k of x, k of dz) instead of k^2 sliced copies of x.
 */
function convWeightGrad(e: Emitter, x: Value, dz: Value, dims: readonly number[], pad: number): Value {
  const [cout, cin, kh, kw] = dims;
  if (!pad) {
    const [xFlat] = e.node('Reshape', [x, e.int64([0, cin, -1])]);
    const [dzT] = e.node('Transpose', [e.node('Reshape', [dz, e.int64([0, cout, -1])])[0]], [attr.ints('perm', [0, 2, 1])]);
    const [summed] = e.node('ReduceSum', [e.node('MatMul', [xFlat, dzT])[0], e.int64([0])], [attr.int('keepdims', 0)]);
    return e.node('Transpose', [e.node('Reshape', [summed, e.int64([cin, 1, cout, 1])])[0]], [attr.ints('perm', [2, 0, 1, 3])])[0];
  }
  const xRows = shifts(e, x, cin, kh, pad, 2, 1);
  const [dzCols] = e.node('Transpose', [shifts(e, dz, cout, kw, pad, 3, -1)], [attr.ints('perm', [0, 2, 1])]);
  const [perImage] = e.node('MatMul', [xRows, dzCols]);
  const [summed] = e.node('ReduceSum', [perImage, e.int64([0])], [attr.int('keepdims', 0)]);
  // Rows (i, ky), columns (o, kx).
  const [ioio] = e.node('Reshape', [summed, e.int64([cin, kh, cout, kw])]);
  return e.node('Transpose', [ioio], [attr.ints('perm', [2, 0, 1, 3])])[0];
}

/**
 * The gradients of a stride-1 'same' conv node (x, OIHW w, optional bias): dx is a conv of dz with the
 * kernel rotated 180 degrees and its channels swapped, spelled as `lowering` says; dw is `convWeightGrad`.
 */
export function convBackward(e: Emitter, node: OpRecord, d: ReadonlyArray<Value | null>, lowering: ConvLowering): Array<Value | null> {
  const dz = first(d, 'Conv');
  const [x, w] = node.inputs;
  if (!w.dims || w.dims.length !== 4) throw new Error('Conv gradient: the weight needs static OIHW dims');
  const strides = ints(node, 'strides');
  const pads = ints(node, 'pads') ?? [0, 0, 0, 0];
  const pad = pads[0];
  const [cout, cin, kh, kw] = w.dims;
  if (strides?.some((s) => s !== 1) || pads.some((p) => p !== pad) || kh !== kw || 2 * pad !== kh - 1) {
    throw new Error(`Conv gradient: only stride-1 'same' convs with odd square kernels (kernel ${kh}x${kw}, pads [${pads}])`);
  }
  const dx = want(node, 0)
    ? (() => {
        const [iohw] = e.node('Transpose', [w], [attr.ints('perm', [1, 0, 2, 3])]);
        const [flipped] = e.node('Slice', [iohw, e.int64([-1, -1]), e.int64([-(2 ** 31), -(2 ** 31)]), e.int64([2, 3]), e.int64([-1, -1])]);
        return emitConv(e, dz, flipped, [cin, cout, kh, kw], [attr.ints('kernel_shape', [kh, kw]), attr.ints('pads', pads), attr.ints('strides', [1, 1])], lowering);
      })()
    : null;
  const dw = want(node, 1) ? convWeightGrad(e, x, dz, w.dims, pad) : null;
  const db = node.inputs[2] && want(node, 2) ? sumNhw(e, dz) : null;
  return [dx, dw, db];
}

const conv: GradRule = (e, node, d) => convBackward(e, node, d, 'onnx');

/**
 * The gradient where the output is positive, as a product with the 0/1 mask: ORT's Where runs on one thread
 * (1.45 vs 0.85 ms at 8x16x64x192). Unlike Where it passes a non-finite gradient on as NaN, which the run's
 * divergence check reports anyway.
 */
const relu: GradRule = (e, node, d) => {
  const [active] = e.node('Greater', [node.outputs[0], e.float(0)]);
  const [mask] = e.node('Cast', [active], [attr.int('to', 1)]);
  return [e.node('Mul', [first(d, 'Relu'), mask])[0]];
};

/** Max pooling routes each window's gradient to its argmax: MaxUnpool at the node's own Indices. */
const maxPool: GradRule = (e, node, d) => {
  const indices = node.outputs[1];
  if (!indices) throw new Error('MaxPool gradient: emit the node with its Indices output');
  const [shape] = e.node('Shape', [node.inputs[0]]);
  const window = [attr.ints('kernel_shape', ints(node, 'kernel_shape')!), attr.ints('strides', ints(node, 'strides')!)];
  return [e.node('MaxUnpool', [first(d, 'MaxPool'), indices, shape], window)[0]];
};

/** MaxUnpool scatters y to flat indices; its adjoint gathers the output gradient there (GatherElements: 5x faster than Gather on ORT's CPU EP). */
const maxUnpool: GradRule = (e, node, d) => {
  const [flat] = e.node('Reshape', [first(d, 'MaxUnpool'), e.int64([-1])]);
  const [idx] = e.node('Reshape', [node.inputs[1], e.int64([-1])]);
  const [g] = e.node('GatherElements', [flat, idx], [attr.int('axis', 0)]);
  return [e.node('Reshape', [g, e.node('Shape', [node.inputs[1]])[0]])[0]];
};

/** Nearest upsampling by integer scales: each input pixel's gradient is the sum over its block. */
const resize: GradRule = (e, node, d) => {
  const scales = node.inputs[2]?.constant;
  const mode = node.attrs.find((a) => a.name === 'mode')?.s;
  if (!scales || scales[0] !== 1 || scales[1] !== 1 || !Number.isInteger(scales[2]) || !Number.isInteger(scales[3]) || new TextDecoder().decode(mode) !== 'nearest') {
    throw new Error('Resize gradient: nearest mode with constant integer scales [1,1,sh,sw] only');
  }
  return [windowSum(e, first(d, 'Resize'), scales[2], scales[3])];
};

const add: GradRule = (_e, node, d) => {
  const g = first(d, 'Add');
  return [want(node, 0) ? g : null, want(node, 1) ? g : null];
};

const sub: GradRule = (e, node, d) => {
  const g = first(d, 'Sub');
  return [want(node, 0) ? g : null, want(node, 1) ? e.node('Neg', [g])[0] : null];
};

const mul: GradRule = (e, node, d) => {
  const g = first(d, 'Mul');
  const [a, b] = node.inputs;
  return [want(node, 0) ? e.node('Mul', [g, b])[0] : null, want(node, 1) ? e.node('Mul', [g, a])[0] : null];
};

/** a / b: da = g / b, db = -da * (a / b), reusing the node's own output. */
const div: GradRule = (e, node, d) => {
  const [da] = e.node('Div', [first(d, 'Div'), node.inputs[1]]);
  return [want(node, 0) ? da : null, want(node, 1) ? e.node('Neg', [e.node('Mul', [da, node.outputs[0]])[0]])[0] : null];
};

const neg: GradRule = (e, _node, d) => [e.node('Neg', [first(d, 'Neg')])[0]];

/** Where(c, a, b): the gradient goes to whichever side each element took. */
const where: GradRule = (e, node, d) => {
  const g = first(d, 'Where');
  const [cond] = node.inputs;
  const zero = e.float(0);
  return [null, want(node, 1) ? e.node('Where', [cond, g, zero])[0] : null, want(node, 2) ? e.node('Where', [cond, zero, g])[0] : null];
};

const transpose: GradRule = (e, node, d) => [e.node('Transpose', [first(d, 'Transpose')], [attr.ints('perm', inversePerm(ints(node, 'perm')!))])[0]];

const reshape: GradRule = (e, node, d) => [e.node('Reshape', [first(d, 'Reshape'), e.node('Shape', [node.inputs[0]])[0]])[0], null];

export const GRAD_RULES: Readonly<Record<string, GradRule>> = {
  Conv: conv,
  Relu: relu,
  MaxPool: maxPool,
  MaxUnpool: maxUnpool,
  Resize: resize,
  Add: add,
  Sub: sub,
  Mul: mul,
  Div: div,
  Neg: neg,
  Where: where,
  Transpose: transpose,
  Reshape: reshape,
};

export { sumNhw, windowSum };
