import {
  BN_EPSILON,
  interpretPlan,
  type BatchNormSite,
  type ConvStep,
  type DropoutStep,
  type PlanInterpreter,
  type SegNetPlan,
} from '@unpool/models';
import { batchNormTraining, pixelCount } from './autodiff/composites.js';
import { convBackward } from './autodiff/grad_rules.js';
import type { Tape, Value } from './autodiff/tape.js';
import { emitConv, type ConvLowering } from './conv_nodes.js';
import { foldBatchNorm, hwioToOihw } from './conv_weights.js';
import { attr, valueInfo, type Attribute, type ValueInfoObject } from './graph_builder.js';
import { emitMaxPool, ONNX_UNPOOL, type OnnxSkip, type PoolLowering } from './unpool_nodes.js';

/**
 * The plan interpreted as ONNX nodes on NCHW tensors, for the three graphs: the training step (weights as
 * differentiable inputs, HWIO as tfjs keeps them; batch statistics; the moments as outputs), and inference
 * (weights baked in as OIHW constants, running statistics as BatchNormalization nodes or folded into the
 * convs) for both the exported model and the baked-weights predictor.
 */

export const IMAGES = 'images';

export type WeightValues = ReadonlyMap<string, Float32Array>;

export type GraphMode =
  | { kind: 'training' }
  | { kind: 'inference'; weights: WeightValues; foldBatchNorm: boolean };

export interface SegnetGraph {
  /** NCHW logits. */
  logits: Value;
  /** Training: the differentiable weight inputs by `paramSpecs` name. */
  params: Map<string, Value>;
  /** Dropout masks fed as inputs (NHWC), in plan order. */
  masks: DropoutStep[];
  /** Training: each BN's batch moments, [1,C,1,1]. */
  moments: Array<{ site: BatchNormSite; mean: Value; variance: Value; count: Value }>;
}

/** Batch, height and width of a graph's images: symbolic, or fixed (GPU EPs: shape arithmetic folds away). */
export type ImageDims = readonly [number, number, number];

/** Declarations of the dropout mask inputs, NHWC at their site's resolution. */
export function maskInputs(masks: readonly DropoutStep[], dims?: ImageDims): ValueInfoObject[] {
  return masks.map((m) =>
    valueInfo(m.mask, dims ? [dims[0], dims[1] / m.scale, dims[2] / m.scale, m.channels] : ['batch', `height/${m.scale}`, `width/${m.scale}`, m.channels]),
  );
}

function weight(weights: WeightValues, name: string, count: number): Float32Array {
  const w = weights.get(name);
  if (!w) throw new Error(`SegNet graph: weight '${name}' is missing`);
  if (w.length !== count) throw new Error(`SegNet graph: weight '${name}' has ${w.length} values, its shape needs ${count}`);
  return w;
}

const convAttrs = (k: number) => [attr.ints('kernel_shape', [k, k]), attr.ints('pads', Array(4).fill((k - 1) / 2)), attr.ints('strides', [1, 1])];

/** Inference conv + BN from baked weights: BN folded into the conv, or BatchNormalization on running statistics. */
function inferenceConvBn(t: Tape, h: Value, s: ConvStep, weights: WeightValues, fold: boolean): Value {
  const hwio = [s.kernel, s.kernel, s.cin, s.cout];
  const { data, dims } = hwioToOihw(weight(weights, `${s.conv}.kernel`, hwio.reduce((a, b) => a * b, 1)), hwio);
  const keys = ['gamma', 'beta', 'mean', 'variance'] as const;
  const bn = Object.fromEntries(keys.map((k) => [k, weight(weights, `${s.bn}.${k}`, s.cout)])) as Record<(typeof keys)[number], Float32Array>;
  if (fold) {
    const folded = foldBatchNorm(data, dims, bn, BN_EPSILON);
    const w = t.constant(`${s.conv}.weight_folded`, dims, folded.weight);
    return t.op('Conv', [h, w, t.constant(`${s.conv}.bias_folded`, [s.cout], folded.bias)], convAttrs(s.kernel))[0];
  }
  const [conv] = t.op('Conv', [h, t.constant(`${s.conv}.weight`, dims, data)], convAttrs(s.kernel));
  const stats = keys.map((k) => t.constant(`${s.bn}.${k}`, [s.cout], bn[k]));
  return t.op('BatchNormalization', [conv, ...stats], [attr.float('epsilon', BN_EPSILON)])[0];
}

/** How a graph spells what execution providers implement differently: the pooling switches, the convs. */
export interface Lowering {
  pool?: PoolLowering;
  conv?: ConvLowering;
}

/**
 * A training conv (x, OIHW w of static dims, optional bias) recorded for the tape: a Conv node under its
 * rule, or the lowering's nodes as one entry with the same backward (its input-gradient conv lowered too).
 */
export function trainingConv(t: Tape, inputs: Value[], attrs: Attribute[], lowering: ConvLowering): Value {
  if (lowering === 'onnx') return t.op('Conv', inputs, attrs)[0];
  const [x, w, bias] = inputs;
  if (w.dims?.length !== 4) throw new Error('trainingConv: the weight needs static OIHW dims');
  return t.composite(
    inputs,
    (e) => ({ outputs: [emitConv(e, x, w, w.dims!, attrs, lowering, bias)], saved: null }),
    (e, ins, outs, _saved, d) => convBackward(e, { op: 'Conv', inputs: ins, outputs: outs, attrs }, d, lowering),
  )[0];
}

/**
 * Emits the plan from NCHW `images` to NCHW logits. `dropout` feeds one mask input per dropout site;
 * `lowering` spells the pooling switches and the convs in ops the target execution provider implements.
 */
export function emitSegnet(t: Tape, plan: SegNetPlan, images: Value, mode: GraphMode, dropout: boolean, lowering: Lowering = {}): SegnetGraph {
  const convLowering = lowering.conv ?? 'onnx';
  const training = mode.kind === 'training';
  const specs = new Map(plan.params.map((s) => [s.name, s]));
  const params = new Map<string, Value>();
  const moments: SegnetGraph['moments'] = [];
  const masks: DropoutStep[] = [];

  /** Training weights: differentiable inputs; kernels HWIO as tfjs keeps them, transposed by a recorded node. */
  const trainInput = (name: string): Value => {
    const dims = specs.get(name)!.shape;
    const input = t.input(name, { differentiable: true, dims });
    params.set(name, input);
    if (dims.length !== 4) return input;
    return t.op('Transpose', [input], [attr.ints('perm', [3, 2, 0, 1])], { dims: [dims[3], dims[2], dims[0], dims[1]] })[0];
  };

  const it: PlanInterpreter<Value, OnnxSkip> = {
    conv: (h, s) => {
      if (mode.kind === 'inference') return t.op('Relu', [inferenceConvBn(t, h, s, mode.weights, mode.foldBatchNorm)])[0];
      const z = trainingConv(t, [h, trainInput(`${s.conv}.kernel`)], convAttrs(s.kernel), convLowering);
      const count = pixelCount(t, z);
      const out = batchNormTraining(t, z, trainInput(`${s.bn}.gamma`), trainInput(`${s.bn}.beta`), count);
      moments.push({ site: plan.batchNorms.find((b) => b.name === s.bn)!, mean: out.mean, variance: out.variance, count });
      return t.op('Relu', [out.y])[0];
    },
    pool: (h, s) => {
      const skip = emitMaxPool(t, h, training || ONNX_UNPOOL[s.mode].needsIndices, lowering.pool);
      return { out: skip.pooled, skip };
    },
    unpool: (h, skip, s) => ONNX_UNPOOL[s.mode].emit(t, h, skip),
    dropout: (h, s) => {
      if (!dropout) return h;
      masks.push(s);
      // Masks are fed rather than drawn in the graph so they are exactly the masks tfjs' seeded dropout
      // draws (same seed, same RNG), whichever engine runs the pass.
      const [nchw] = t.node('Transpose', [t.input(s.mask)], [attr.ints('perm', [0, 3, 1, 2])]);
      return t.op('Mul', [h, nchw])[0];
    },
    classifier: (h, s) => {
      const attrs = [attr.ints('kernel_shape', [1, 1]), attr.ints('strides', [1, 1])];
      if (mode.kind === 'training') return trainingConv(t, [h, trainInput('cls.kernel'), trainInput('cls.bias')], attrs, convLowering);
      const { data, dims } = hwioToOihw(weight(mode.weights, 'cls.kernel', s.cin * s.classes), [1, 1, s.cin, s.classes]);
      const bias = t.constant('cls.bias', [s.classes], weight(mode.weights, 'cls.bias', s.classes));
      return t.op('Conv', [h, t.constant('cls.weight', dims, data), bias], attrs)[0];
    },
  };
  const logits = interpretPlan(plan, images, it);
  return { logits, params, masks, moments };
}
