import { VOID_LABEL } from '@unpool/metrics';
import { paramSpecs, type SegNetConfig } from '@unpool/models';
import { attr, GraphBuilder, valueInfo } from './graph_builder.js';
import { encodeModel } from './model_proto.js';
import {
  emitSegnetForward,
  floatScalar,
  int64Const,
  imagesInput,
  maskInputs,
  perChannel,
  type BatchNormSite,
  type ConvRecord,
  type DropoutMaskInput,
  type ForwardRecord,
} from './segnet_graph_forward.js';

/**
 * One SegNet training step as a single ONNX graph: forward with batch statistics, the weighted
 * cross-entropy of `segmentationLoss`, and the backward pass written out by hand (ONNX has no autodiff),
 * so ONNX Runtime's CPU kernels (MLAS GEMM/conv, all cores) do the work that tfjs-wasm does one kernel
 * at a time. Every gradient is the same formula the tfjs path differentiates:
 *   conv 3x3:  dx = conv(dz, W flipped and transposed); dW = sum over pixels of dz x im2col(x)
 *   batch norm (closed form of batch_norm.ts), ReLU, max pool (MaxUnpool of the gradient at the argmax),
 *   switch unpool (gather at the switches), nearest (2x2 window sum), ratio (ratio_unpool.ts' formulas),
 *   dropout (the same fed mask).
 * Inputs: `images` NHWC float, `labels` int32 [N,H,W] (255 = void), `class_weights` [classes], the
 * trainable parameters by name, and the dropout masks. Outputs: `loss`, `grad.<param>` in the parameter's
 * own shape, and `moments.<bn>.mean|variance` (biased batch moments) for the running statistics.
 */

export const LABELS = 'labels';
export const CLASS_WEIGHTS = 'class_weights';
export const LOSS = 'loss';

export interface TrainGraph {
  bytes: Uint8Array;
  /** Trainable parameter names, each with a `grad.<name>` output. */
  trainable: string[];
  batchNorms: BatchNormSite[];
  masks: DropoutMaskInput[];
}

const REDUCE_NHW = [0, 2, 3];

/** Gradient names: `d.<tensor>`, with a counter when a tensor collects several contributions. */
class Grads {
  private n = 0;
  constructor(private readonly g: GraphBuilder) {}
  name(of: string): string {
    return `d.${of}.${this.n++}`;
  }
  node(op: string, inputs: string[], of: string, attrs: ReturnType<typeof attr.ints>[] = []): string {
    return this.g.node(op, inputs, [this.name(of)], attrs)[0];
  }
}

function sumNhw(g: GraphBuilder, x: string, out: string): string {
  return g.node('ReduceSum', [x, int64Const(g, REDUCE_NHW)], [out], [attr.int('keepdims', 0)])[0];
}

/** N*H*W of an NCHW tensor as a float scalar (symbolic sizes: one graph serves any batch). */
function pixelCount(g: GraphBuilder, x: string): string {
  const [n] = g.node('Shape', [x], [`${x}.shape_n`], [attr.int('start', 0), attr.int('end', 1)]);
  const [hw] = g.node('Shape', [x], [`${x}.shape_hw`], [attr.int('start', 2)]);
  const [dims] = g.node('Concat', [n, hw], [`${x}.shape_nhw`], [attr.int('axis', 0)]);
  const [count] = g.node('ReduceProd', [dims], [`${x}.count_i64`], [attr.int('keepdims', 0)]);
  return g.node('Cast', [count], [`${x}.count`], [attr.int('to', 1)])[0];
}

/**
 * Weight gradient of a 3x3 'same' conv, HWIO like the parameter: for each of the nine kernel taps, the
 * padded input shifted by that tap, [N, Cin, HW] x [N, HW, Cout], summed over N. Nine GEMMs on shifted
 * slices measured faster in ORT than one GEMM on a concatenated im2col (which copies everything twice).
 */
function convWeightGrad(g: GraphBuilder, rec: ConvRecord, dz: string, cin: number, cout: number): string {
  const x = rec.input;
  const p = `${rec.conv}.wgrad`;
  const [padded] = g.node('Pad', [x, int64Const(g, [0, 0, 1, 1, 0, 0, 1, 1])], [`${p}.padded`]);
  const [hw] = g.node('Shape', [x], [`${p}.hw`], [attr.int('start', 2)]);
  const [dz3] = g.node('Reshape', [dz, int64Const(g, [0, cout, -1])], [`${p}.dz3`]);
  const [dzT] = g.node('Transpose', [dz3], [`${p}.dzT`], [attr.ints('perm', [0, 2, 1])]);
  const taps: string[] = [];
  for (let ky = 0; ky < 3; ky++) {
    for (let kx = 0; kx < 3; kx++) {
      const starts = int64Const(g, [ky, kx]);
      const [ends] = g.node('Add', [hw, starts], [`${p}.end${ky}${kx}`]);
      const [shifted] = g.node('Slice', [padded, starts, ends, int64Const(g, [2, 3])], [`${p}.shift${ky}${kx}`]);
      const [flat] = g.node('Reshape', [shifted, int64Const(g, [0, cin, -1])], [`${p}.shift${ky}${kx}.flat`]);
      taps.push(g.node('MatMul', [flat, dzT], [`${p}.tap${ky}${kx}`])[0]);
    }
  }
  // [N, 9*Cin, Cout] with row (ky*3 + kx)*Cin + i: summed over N it is [3,3,Cin,Cout] in row-major order.
  const [perImage] = g.node('Concat', taps, [`${p}.per_image`], [attr.int('axis', 1)]);
  const [summed] = g.node('ReduceSum', [perImage, int64Const(g, [0])], [`${p}.sum`], [attr.int('keepdims', 0)]);
  return g.node('Reshape', [summed, int64Const(g, [3, 3, cin, cout])], [`grad.${rec.conv}.kernel`])[0];
}

/** Input gradient of a 3x3 'same' conv: a conv of dz with the kernel rotated 180 degrees, in/out swapped. */
function convInputGrad(g: GraphBuilder, rec: ConvRecord, dz: string, grads: Grads): string {
  const kernel = `${rec.conv}.kernel`;
  const [iohw] = g.node('Transpose', [kernel], [`${kernel}.iohw`], [attr.ints('perm', [2, 3, 0, 1])]);
  const [flipped] = g.node(
    'Slice',
    [iohw, int64Const(g, [-1, -1]), int64Const(g, [-1000, -1000]), int64Const(g, [2, 3]), int64Const(g, [-1, -1])],
    [`${kernel}.flipped`],
  );
  return grads.node('Conv', [dz, flipped], rec.input, [attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1]), attr.ints('strides', [1, 1])]);
}

/** ReLU, batch norm and conv backward of one layer; returns the gradient w.r.t. the layer input, or null. */
function convBnReluBackward(g: GraphBuilder, grads: Grads, rec: ConvRecord, dOut: string, cin: number, cout: number, needInput: boolean): string | null {
  const zero = floatScalar(g, 0);
  const [active] = g.node('Greater', [rec.output, zero], [`${rec.output}.active`]);
  const dy = grads.node('Where', [active, dOut, zero], `${rec.bn}.out`);
  // Closed-form BN gradient, dx = gamma rstd / M (M dy - dbeta - xhat dgamma), with xhat = c rstd and
  // dgamma = rstd sum(dy c) (c = z - mean), regrouped so the full-size work is two products and two sums:
  //   dx = dy A + c B + C,  A = gamma rstd,  B = -A rstd^2 sum(dy c) / M,  C = -A dbeta / M  (per channel).
  const bn = rec.bn;
  const dbeta = sumNhw(g, dy, `grad.${bn}.beta`);
  const [dyC] = g.node('Mul', [dy, rec.centered!], [`${bn}.dy_c`]);
  const sumDyC = sumNhw(g, dyC, `${bn}.sum_dy_c`);
  const [rstdVec] = g.node('Reshape', [rec.rstd!, int64Const(g, [-1])], [`${bn}.rstd_vec`]);
  g.node('Mul', [sumDyC, rstdVec], [`grad.${bn}.gamma`]);
  const m = pixelCount(g, dy);
  const a = rec.gammaRstd!;
  const [aOverM] = g.node('Div', [a, m], [`${bn}.a_over_m`]);
  const [rstd2] = g.node('Mul', [rec.rstd!, rec.rstd!], [`${bn}.rstd2`]);
  const [bFactor] = g.node('Neg', [g.node('Mul', [g.node('Mul', [aOverM, rstd2], [`${bn}.a_rstd2_m`])[0], perChannel(g, sumDyC)], [`${bn}.b_pos`])[0]], [`${bn}.b`]);
  const [cFactor] = g.node('Neg', [g.node('Mul', [aOverM, perChannel(g, dbeta)], [`${bn}.c_pos`])[0]], [`${bn}.c`]);
  const [dyA] = g.node('Mul', [dy, a], [`${bn}.dy_a`]);
  const [cB] = g.node('Mul', [rec.centered!, bFactor], [`${bn}.c_b`]);
  const [partial] = g.node('Add', [dyA, cB], [`${bn}.dx_partial`]);
  const dz = grads.node('Add', [partial, cFactor], `${rec.conv}.out`);
  convWeightGrad(g, rec, dz, cin, cout);
  return needInput ? convInputGrad(g, rec, dz, grads) : null;
}

function windowSum2x2(g: GraphBuilder, x: string, out: string): string {
  const [avg] = g.node('AveragePool', [x], [`${out}.avg`], [attr.ints('kernel_shape', [2, 2]), attr.ints('strides', [2, 2])]);
  // Times 4 is exact in binary floating point: the window sum up to summation order.
  return g.node('Mul', [avg, floatScalar(g, 4)], [out])[0];
}

/** Gradients of a decoder block's unpooling: w.r.t. its input y, and (ratio) w.r.t. x and p. */
function unpoolBackward(
  g: GraphBuilder,
  grads: Grads,
  config: SegNetConfig,
  fwd: ForwardRecord,
  b: number,
  dOut: string,
): { dy: string; dPrePool?: string; dPooled?: string } {
  const enc = fwd.encoders[b];
  const dec = fwd.decoders[b];
  if (config.unpool === 'switch') {
    const [flat] = g.node('Reshape', [dOut, int64Const(g, [-1])], [`${dec.unpooled}.grad_flat`]);
    return { dy: grads.node('Gather', [flat, enc.indices!], dec.input, [attr.int('axis', 0)]) };
  }
  if (config.unpool === 'nearest') return { dy: windowSum2x2(g, dOut, grads.name(dec.input)) };
  // ratio: out = up(r) * x, r = y / p (0 where p == 0): dx = up(r) dOut, dy = sum2x2(dOut x) / p, dp = -dy r.
  const out = dec.unpooled;
  const zero = floatScalar(g, 0);
  const dPrePool = grads.node('Mul', [`${out}.ratio_up`, dOut], enc.prePool);
  const [dOutX] = g.node('Mul', [dOut, enc.prePool], [`${out}.dout_x`]);
  const sum = windowSum2x2(g, dOutX, `${out}.dout_x_sum`);
  const [q] = g.node('Div', [sum, enc.pooled], [`${out}.dy_div`]);
  const dy = grads.node('Where', [`${out}.pool_is_zero`, zero, q], dec.input);
  const [dyR] = g.node('Mul', [dy, `${out}.ratio`], [`${out}.dy_r`]);
  const dPooled = grads.node('Neg', [dyR], enc.pooled);
  return { dy, dPrePool, dPooled };
}

function add(g: GraphBuilder, grads: Grads, a: string, b: string | undefined, of: string): string {
  return b ? grads.node('Add', [a, b], of) : a;
}

/** Conv channel counts per layer, from the parameter shapes (HWIO). */
function convChannels(config: SegNetConfig): Map<string, [number, number]> {
  const m = new Map<string, [number, number]>();
  for (const s of paramSpecs(config)) if (s.name.endsWith('.kernel')) m.set(s.name.slice(0, -'.kernel'.length), [s.shape[2], s.shape[3]]);
  return m;
}

/** Builds the training-step graph for a SegNet config (any batch and input size divisible by 2^blocks). */
export function buildSegnetTrainGraph(config: SegNetConfig): TrainGraph {
  const g = new GraphBuilder();
  const grads = new Grads(g);
  const fwd = emitSegnetForward(g, config, { training: true, dropout: config.bayesian });
  const channels = convChannels(config);
  const k = config.classes;

  // Loss: labels (void -> last class) weighted per class, mean over the applied weights.
  g.input(LABELS);
  g.input(CLASS_WEIGHTS);
  const [labels64] = g.node('Cast', [LABELS], ['labels.i64'], [attr.int('to', 7)]);
  const [isVoid] = g.node('Equal', [labels64, int64Const(g, [VOID_LABEL])], ['labels.is_void']);
  const [index] = g.node('Where', [isVoid, int64Const(g, [k - 1]), labels64], ['labels.index']);
  const [pixelWeight] = g.node('Gather', [CLASS_WEIGHTS, index], ['labels.weight'], [attr.int('axis', 0)]);
  // Log-softmax over the class axis spelled out: ORT's LogSoftmax on axis 1 of NCHW transposes inside
  // (25 ms at batch 8, 64x192, 20 classes); the reductions over axis 1 stream (5 ms), and exp(s) / sum
  // gives the softmax for the gradient without a second Exp.
  const c1 = [attr.int('keepdims', 1)];
  const [index4] = g.node('Unsqueeze', [index, int64Const(g, [1])], ['labels.index4']);
  const classIds = g.sharedInt64('const.class_ids', [1, k, 1, 1], Array.from({ length: k }, (_, i) => i));
  const [onehotBool] = g.node('Equal', [index4, classIds], ['labels.onehot_bool']);
  const [onehot] = g.node('Cast', [onehotBool], ['labels.onehot'], [attr.int('to', 1)]);
  const [max] = g.node('ReduceMax', [fwd.logits], ['loss.max'], [attr.ints('axes', [1]), ...c1]);
  const [shifted] = g.node('Sub', [fwd.logits, max], ['loss.shifted']);
  const [exp] = g.node('Exp', [shifted], ['loss.exp']);
  const [sumExp] = g.node('ReduceSum', [exp, int64Const(g, [1])], ['loss.sum_exp'], c1);
  const [logp] = g.node('Sub', [shifted, g.node('Log', [sumExp], ['loss.log_sum_exp'])[0]], ['loss.logp']);
  const [picked] = g.node('ReduceSum', [g.node('Mul', [onehot, logp], ['loss.onehot_logp'])[0], int64Const(g, [1])], ['loss.picked'], [attr.int('keepdims', 0)]);
  const [weighted] = g.node('Mul', [picked, pixelWeight], ['loss.weighted_logp']);
  const [total] = g.node('ReduceSum', [weighted], ['loss.total'], [attr.int('keepdims', 0)]);
  const [norm] = g.node('Max', [g.node('ReduceSum', [pixelWeight], ['loss.weight_sum'], [attr.int('keepdims', 0)])[0], floatScalar(g, 1e-6)], ['loss.norm']);
  g.node('Neg', [g.node('Div', [total, norm], ['loss.neg'])[0]], [LOSS]);

  // d loss / d logits = w (softmax - onehot) / norm.
  const [probs] = g.node('Div', [exp, sumExp], ['loss.probs']);
  const [diff] = g.node('Sub', [probs, onehot], ['loss.probs_minus_onehot']);
  const [w4] = g.node('Unsqueeze', [g.node('Div', [pixelWeight, norm], ['loss.weight_norm'])[0], int64Const(g, [1])], ['loss.weight4']);
  const dLogits = grads.node('Mul', [diff, w4], fwd.logits);

  // Classifier (1x1 conv + bias).
  const width0 = config.widths[0];
  const [feat3] = g.node('Reshape', [fwd.features, int64Const(g, [0, width0, -1])], ['cls.features3']);
  const [dl3] = g.node('Reshape', [dLogits, int64Const(g, [0, k, -1])], ['cls.dlogits3']);
  const [dlT] = g.node('Transpose', [dl3], ['cls.dlogitsT'], [attr.ints('perm', [0, 2, 1])]);
  const [clsPer] = g.node('MatMul', [feat3, dlT], ['cls.grad_per_image']);
  const [clsSum] = g.node('ReduceSum', [clsPer, int64Const(g, [0])], ['cls.grad_sum'], [attr.int('keepdims', 0)]);
  g.node('Reshape', [clsSum, int64Const(g, [1, 1, width0, k])], ['grad.cls.kernel']);
  sumNhw(g, dLogits, 'grad.cls.bias');
  const [clsT] = g.node('Transpose', ['cls.kernel'], ['cls.kernel.iohw'], [attr.ints('perm', [2, 3, 0, 1])]);
  let d = grads.node('Conv', [dLogits, clsT], fwd.features, [attr.ints('kernel_shape', [1, 1]), attr.ints('strides', [1, 1])]);

  // Decoder, shallowest block first (the reverse of the forward order).
  const blocks = config.widths.length;
  const fromRatio: Array<{ dPrePool?: string; dPooled?: string }> = new Array(blocks);
  for (let b = 0; b < blocks; b++) {
    const dec = fwd.decoders[b];
    if (dec.mask) d = grads.node('Mul', [d, `${dec.mask}.nchw`], dec.convs[dec.convs.length - 1].output);
    for (let i = dec.convs.length - 1; i >= 0; i--) {
      const rec = dec.convs[i];
      const [cin, cout] = channels.get(rec.conv)!;
      d = convBnReluBackward(g, grads, rec, d, cin, cout, true)!;
    }
    const { dy, dPrePool, dPooled } = unpoolBackward(g, grads, config, fwd, b, d);
    fromRatio[b] = { dPrePool, dPooled };
    d = dy;
  }

  // Encoder, deepest block first.
  for (let b = blocks - 1; b >= 0; b--) {
    const enc = fwd.encoders[b];
    if (enc.mask) d = grads.node('Mul', [d, `${enc.mask}.nchw`], enc.pooled);
    const dPooled = add(g, grads, d, fromRatio[b].dPooled, enc.pooled);
    const [shape] = g.node('Shape', [enc.prePool], [`${enc.prePool}.shape`]);
    const viaPool = grads.node('MaxUnpool', [dPooled, enc.indices!, shape], enc.prePool, [attr.ints('kernel_shape', [2, 2]), attr.ints('strides', [2, 2])]);
    d = add(g, grads, viaPool, fromRatio[b].dPrePool, enc.prePool);
    for (let i = enc.convs.length - 1; i >= 0; i--) {
      const rec = enc.convs[i];
      const [cin, cout] = channels.get(rec.conv)!;
      const next = convBnReluBackward(g, grads, rec, d, cin, cout, !(b === 0 && i === 0));
      if (next) d = next;
    }
  }

  // Batch moments as [C] vectors for the caller's running-statistics update.
  const outputs = [valueInfo(LOSS, [])];
  for (const { name: bn } of fwd.batchNorms) {
    for (const m of ['mean', 'variance'] as const) {
      g.node('Reshape', [`${bn}.batch_${m}`, int64Const(g, [-1])], [`moments.${bn}.${m}`]);
      outputs.push(valueInfo(`moments.${bn}.${m}`, [`${bn}.channels`]));
    }
  }
  const trainable = paramSpecs(config).filter((s) => s.trainable);
  for (const s of trainable) outputs.push(valueInfo(`grad.${s.name}`, s.shape));

  const bytes = encodeModel(g, {
    name: `segnet_train_${config.unpool}`,
    doc: `SegNet training step (${config.unpool} unpooling${config.bayesian ? ', Bayesian' : ''}): forward, weighted cross-entropy, backward`,
    inputs: [
      imagesInput(config),
      valueInfo(LABELS, ['batch', 'height', 'width'], 'INT32'),
      valueInfo(CLASS_WEIGHTS, [k]),
      ...trainable.map((s) => valueInfo(s.name, s.shape)),
      ...maskInputs(fwd.masks),
    ],
    outputs,
  });
  return { bytes, trainable: trainable.map((s) => s.name), batchNorms: fwd.batchNorms, masks: fwd.masks };
}
