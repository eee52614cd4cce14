import { BN_EPSILON } from '@unpool/models';
import { VOID_LABEL } from '@unpool/metrics';
import { attr } from '../graph_builder.js';
import { sumNhw } from './grad_rules.js';
import type { Emitter, Tape, Value } from './tape.js';

/**
 * Operations recorded as one tape entry with a closed-form backward: cheaper than differentiating their
 * parts (batch norm: two full-size products and two sums instead of a dozen full-size nodes), or right
 * where the parts' rules are not (the guarded division: Div's rule would compute 0/0 where p == 0).
 * Each has a finite-difference test like the per-op rules (test/grad_rules.test.ts).
 */

/** A per-channel vector [C] as [1,C,1,1] for broadcasting against NCHW. */
export function perChannel(e: Emitter, v: Value): Value {
  return e.node('Reshape', [v, e.int64([1, -1, 1, 1])])[0];
}

/** N*H*W of an NCHW tensor as a float scalar (symbolic sizes: one graph serves any batch). */
export function pixelCount(e: Emitter, x: Value): Value {
  const [n] = e.node('Shape', [x], [attr.int('start', 0), attr.int('end', 1)]);
  const [hw] = e.node('Shape', [x], [attr.int('start', 2)]);
  const [dims] = e.node('Concat', [n, hw], [attr.int('axis', 0)]);
  const [count] = e.node('ReduceProd', [dims], [attr.int('keepdims', 0)]);
  return e.node('Cast', [count], [attr.int('to', 1)])[0];
}

/**
 * sum over N, H, W of a * b per channel, [1,C,1,1]: a batch of [1,HW] x [HW,1] products, one read of each
 * operand (a Mul then a ReduceSum writes and rereads a full-size product: 0.85 vs 0.3 ms at 8x16x64x192).
 */
export function channelDot(e: Emitter, a: Value, b: Value): Value {
  const rows = e.int64([0, 0, 1, -1]);
  const [aRows] = e.node('Reshape', [a, rows]);
  const [bCols] = e.node('Transpose', [e.node('Reshape', [b, rows])[0]], [attr.ints('perm', [0, 1, 3, 2])]);
  const [perImage] = e.node('MatMul', [aRows, bCols]);
  return e.node('ReduceSum', [perImage, e.int64([0])], [attr.int('keepdims', 1)])[0];
}

/**
 * x * scale + shift per channel of NCHW `x` ([1,C,1,1] or [C] factors) in one pass: inference-mode
 * BatchNormalization with mean 0, variance 1 and epsilon 0, which is exactly that; Mul then Add make two.
 */
export function channelAffine(e: Emitter, x: Value, scale: Value, shift: Value, channels: number): Value {
  const vec = (v: Value) => e.node('Reshape', [v, e.int64([-1])])[0];
  const stats = [e.floats(new Array<number>(channels).fill(0)), e.floats(new Array<number>(channels).fill(1))];
  return e.node('BatchNormalization', [x, vec(scale), vec(shift), ...stats], [attr.float('epsilon', 0)])[0];
}

/**
 * Training-mode batch norm over N, H, W of NCHW `z` with [C] `gamma`, `beta`. Outputs: y, and the biased
 * batch mean and variance as [1,C,1,1] (no gradient: they feed the running statistics). Backward, the
 * closed form of batch_norm.ts, dz = gamma rstd / M (M dy - dbeta - xhat dgamma), regrouped as
 *   dz = dy A + c B + C,  A = gamma rstd,  B = -A rstd^2 sum(dy c) / M,  C = -A dbeta / M  (per channel)
 * with c = z - mean, so its full-size work is a product, a per-channel affine map of c, their sum, a sum
 * and a per-channel dot product. `count` is N*H*W of z where the caller already has it (the running
 * statistics need it too).
 */
export function batchNormTraining(t: Tape, z: Value, gamma: Value, beta: Value, count?: Value): { y: Value; mean: Value; variance: Value } {
  const channels = gamma.dims?.[0];
  if (channels === undefined) throw new Error('batchNormTraining: gamma needs static dims [C]');
  const [y, mean, variance] = t.composite(
    [z, gamma, beta],
    (e) => {
      const axes = [attr.ints('axes', [0, 2, 3]), attr.int('keepdims', 1)];
      const [mu] = e.node('ReduceMean', [z], axes);
      const [centered] = e.node('Sub', [z, mu]);
      const pixels = count ?? pixelCount(e, z);
      const [v] = e.node('Div', [channelDot(e, centered, centered), pixels]);
      const [std] = e.node('Sqrt', [e.node('Add', [v, e.float(BN_EPSILON)])[0]]);
      const [rstd] = e.node('Reciprocal', [std]);
      const [gammaRstd] = e.node('Mul', [perChannel(e, gamma), rstd]);
      const out = channelAffine(e, centered, gammaRstd, beta, channels);
      return { outputs: [out, mu, v], saved: { centered, rstd, gammaRstd, pixels } };
    },
    (e, _inputs, _outputs, { centered, rstd, gammaRstd, pixels }, d) => {
      const dy = d[0]!;
      const dbeta = sumNhw(e, dy);
      const sumDyC = channelDot(e, dy, centered);
      const dgamma = e.node('Reshape', [e.node('Mul', [sumDyC, rstd])[0], e.int64([-1])])[0];
      const [aOverM] = e.node('Div', [gammaRstd, pixels]);
      const [rstd2] = e.node('Mul', [rstd, rstd]);
      const [bPos] = e.node('Mul', [e.node('Mul', [aOverM, rstd2])[0], sumDyC]);
      const [cPos] = e.node('Mul', [aOverM, perChannel(e, dbeta)]);
      const [dyA] = e.node('Mul', [dy, gammaRstd]);
      const cBC = channelAffine(e, centered, e.node('Neg', [bPos])[0], e.node('Neg', [cPos])[0], channels);
      const [dz] = e.node('Add', [dyA, cBC]);
      return [dz, dgamma, dbeta];
    },
    [true, false, false],
  );
  return { y, mean, variance };
}

/**
 * a / b with 0 where b == 0 (tfjs' divNoNan). Backward: da = g / b and db = -da (a / b), both 0 where
 * b == 0: the Where sits after the division, so the 0/0 there never leaves it.
 */
export function divNoNan(t: Tape, a: Value, b: Value): Value {
  return t.composite(
    [a, b],
    (e) => {
      const zero = e.float(0);
      const [isZero] = e.node('Equal', [b, zero]);
      const [quotient] = e.node('Where', [isZero, zero, e.node('Div', [a, b])[0]]);
      return { outputs: [quotient], saved: { isZero } };
    },
    (e, [, divisor], [quotient], { isZero }, d) => {
      const [da] = e.node('Where', [isZero, e.float(0), e.node('Div', [d[0]!, divisor])[0]]);
      return [da, e.node('Neg', [e.node('Mul', [da, quotient])[0]])[0]];
    },
  )[0];
}

/**
 * The weighted pixel cross-entropy of `segmentationLoss` on NCHW logits: labels int32 [N,H,W] (void ->
 * last class), one weight per class, the mean over the weights applied. Backward:
 * dlogits = w (softmax - onehot) / sum(w).
 */
export function weightedCrossEntropy(t: Tape, logits: Value, labels: Value, classWeights: Value, classes: number, name: string): Value {
  return t.composite(
    [logits, labels, classWeights],
    (e) => {
      // Labels handled as floats (exact for class ids): the GPU execution providers lack int64 Equal/Where/
      // Gather, and the per-pixel weight as sum(onehot * w) is exact (one non-zero term).
      const keep = [attr.int('keepdims', 1)];
      const [labelsF] = e.node('Cast', [labels], [attr.int('to', 1)]);
      const [isVoid] = e.node('Equal', [labelsF, e.float(VOID_LABEL)]);
      const [index] = e.node('Where', [isVoid, e.float(classes - 1), labelsF]);
      const [index4] = e.node('Unsqueeze', [index, e.int64([1])]);
      const classIds = e.floats(Array.from({ length: classes }, (_, i) => i));
      const [classIds4] = e.node('Reshape', [classIds, e.int64([1, classes, 1, 1])]);
      const [onehot] = e.node('Cast', [e.node('Equal', [index4, classIds4])[0]], [attr.int('to', 1)]);
      const [weights4] = e.node('Reshape', [classWeights, e.int64([1, classes, 1, 1])]);
      const [pixelWeight] = e.node('ReduceSum', [e.node('Mul', [onehot, weights4])[0], e.int64([1])], [attr.int('keepdims', 0)]);
      // Log-softmax over the class axis spelled out: ORT's LogSoftmax on axis 1 of NCHW transposes inside
      // (25 ms at batch 8, 64x192, 20 classes); reductions over axis 1 stream (5 ms), and exp(s) / sum
      // gives the softmax for the gradient without a second Exp.
      const [max] = e.node('ReduceMax', [logits], [attr.ints('axes', [1]), ...keep]);
      const [shifted] = e.node('Sub', [logits, max]);
      const [exp] = e.node('Exp', [shifted]);
      const [sumExp] = e.node('ReduceSum', [exp, e.int64([1])], keep);
      const [logp] = e.node('Sub', [shifted, e.node('Log', [sumExp])[0]]);
      const [picked] = e.node('ReduceSum', [e.node('Mul', [onehot, logp])[0], e.int64([1])], [attr.int('keepdims', 0)]);
      const [total] = e.node('ReduceSum', [e.node('Mul', [picked, pixelWeight])[0]], [attr.int('keepdims', 0)]);
      const [norm] = e.node('Max', [e.node('ReduceSum', [pixelWeight], [attr.int('keepdims', 0)])[0], e.float(1e-6)]);
      const [loss] = e.node('Neg', [e.node('Div', [total, norm])[0]], [], 1, [name]);
      return { outputs: [loss], saved: { exp, sumExp, onehot, pixelWeight, norm } };
    },
    (e, _inputs, _outputs, s, d) => {
      const [probs] = e.node('Div', [s.exp, s.sumExp]);
      const [diff] = e.node('Sub', [probs, s.onehot]);
      const [scale] = e.node('Mul', [e.node('Div', [s.pixelWeight, s.norm])[0], d[0]!]);
      const [scale4] = e.node('Unsqueeze', [scale, e.int64([1])]);
      return [e.node('Mul', [diff, scale4])[0], null, null];
    },
  )[0];
}
