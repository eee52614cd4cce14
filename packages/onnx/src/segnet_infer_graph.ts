import { segnetPlan, type DropoutStep, type SegNetConfig } from '@unpool/models';
import { GRAD_RULES } from './autodiff/grad_rules.js';
import { Tape } from './autodiff/tape.js';
import { attr, valueInfo, type Dim } from './graph_builder.js';
import { encodeModel, type ModelParts } from './model_proto.js';
import type { PoolLowering } from './unpool_nodes.js';
import { emitSegnet, IMAGES, maskInputs, type WeightValues } from './segnet_graph.js';

export interface InferGraphOptions {
  weights: WeightValues;
  foldBatchNorm: boolean;
  /** Layout of the `images` input and of the output; the graph itself computes NCHW. */
  layout: 'NHWC' | 'NCHW';
  /** `logits` (the exported model) or `probs`, the softmax over classes (the predictor). */
  output: 'logits' | 'probs';
  /** MC-dropout masks as inputs (Bayesian models); otherwise the deterministic pass. */
  dropout: boolean;
  /** How the pooling switches are spelled (per execution provider); default `indices`. */
  lowering?: PoolLowering;
  batch?: Dim;
  inputSize?: readonly [number, number];
  /** Model name, doc string, opset and metadata of the ModelProto. */
  model?: Partial<Pick<ModelParts, 'name' | 'doc' | 'opset' | 'metadata'>>;
}

export interface InferGraph {
  bytes: Uint8Array;
  masks: DropoutStep[];
  /** Nodes of the generated graph (before ORT's own optimisations). */
  nodes: number;
}

/**
 * SegNet inference (running BN statistics) with the given weights baked in as constants: the exported
 * model and the engine's predictor are this one graph with different options. Constant weights let ORT
 * fold BN into the convs, fuse the ReLUs and use its blocked (NCHWc) convs, 2.5x faster than weights fed
 * as inputs, hence one predictor session per evaluation.
 */
export function buildSegnetInferGraph(config: SegNetConfig, o: InferGraphOptions): InferGraph {
  const plan = segnetPlan(config);
  const t = new Tape(GRAD_RULES);
  const nhwc = o.layout === 'NHWC';
  const input = t.input(IMAGES);
  const images = nhwc ? t.node('Transpose', [input], [attr.ints('perm', [0, 3, 1, 2])])[0] : input;
  const fwd = emitSegnet(t, plan, images, { kind: 'inference', weights: o.weights, foldBatchNorm: o.foldBatchNorm }, o.dropout && config.bayesian, { pool: o.lowering });
  const out = o.output;
  let h = fwd.logits;
  if (nhwc) [h] = t.node('Transpose', [h], [attr.ints('perm', [0, 2, 3, 1])], 1, out === 'logits' ? [out] : undefined);
  else if (out === 'logits') [h] = t.node('Identity', [h], [], 1, [out]);
  // Softmax over the innermost axis is ORT's streaming path; over axis 1 of NCHW it transposes inside.
  if (out === 'probs') t.node('Softmax', [h], [attr.int('axis', nhwc ? 3 : 1)], 1, [out]);

  const batch = o.batch ?? 'batch';
  const [height, width]: Dim[] = o.inputSize ? [...o.inputSize] : ['height', 'width'];
  const shape = (c: number): Dim[] => (nhwc ? [batch, height, width, c] : [batch, c, height, width]);
  const bytes = encodeModel(t.g, {
    name: o.model?.name ?? `segnet_infer_${config.unpool}`,
    doc: o.model?.doc ?? `SegNet inference (${config.unpool} unpooling${fwd.masks.length ? ', MC-dropout masks as inputs' : ''}), weights baked in`,
    inputs: [valueInfo(IMAGES, shape(config.inputChannels)), ...maskInputs(fwd.masks)],
    outputs: [valueInfo(out, shape(config.classes))],
    opset: o.model?.opset,
    metadata: o.model?.metadata,
  });
  return { bytes, masks: fwd.masks, nodes: t.g.nodes.length };
}
