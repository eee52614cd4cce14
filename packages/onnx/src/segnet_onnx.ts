import { BN_EPSILON, paramSpecs, requiredDivisor, type SegNet, type SegNetConfig } from '@unpool/models';
import { parseExportOptions, type ExportOptions, type ResolvedExportOptions } from './export_options.js';
import { PRODUCER_NAME } from './model_proto.js';
import { buildSegnetInferGraph } from './segnet_infer_graph.js';

export const INPUT_NAME = 'images';
export const OUTPUT_NAME = 'logits';
export { PRODUCER_NAME };

/** Weight values by `paramSpecs` name, checked against the config's shapes. */
export type SegNetWeights = Map<string, Float32Array>;

/** Reads a model's variables (synchronously: cpu and wasm backends; webgpu in Node cannot read synchronously). */
export function segnetWeights(model: SegNet): SegNetWeights {
  const weights: SegNetWeights = new Map();
  for (const s of paramSpecs(model.config)) {
    const v = model.params.get(s.name);
    if (!v) throw new Error(`exportOnnx: the model has no variable '${s.name}'`);
    weights.set(s.name, Float32Array.from(v.dataSync() as Float32Array));
  }
  return weights;
}

function metadata(config: SegNetConfig, o: ResolvedExportOptions): Array<{ key: string; value: string }> {
  const props: Record<string, string> = {
    unpool: config.unpool,
    layout: o.layout,
    batch_norm: o.foldBatchNorm
      ? `folded into each Conv's weight and bias (epsilon ${BN_EPSILON}, running statistics)`
      : `BatchNormalization nodes in inference mode (epsilon ${BN_EPSILON}, running statistics)`,
    fold_batch_norm: String(o.foldBatchNorm),
    bayesian: String(config.bayesian),
    dropout: config.bayesian
      ? `not in the graph: this is Bayesian SegNet's deterministic pass (tfjs dropout is inverted, hence the identity at inference). ` +
        `It is NOT Monte Carlo dropout: MC sampling (several stochastic passes, softmax averaged) happens outside ` +
        `this graph and would need Dropout nodes run in training mode inside it.`
      : 'none',
    input: `${INPUT_NAME}: float32 ${o.layout === 'NHWC' ? '[batch,height,width,channels]' : '[batch,channels,height,width]'}, RGB in [0,1]; height and width divisible by ${requiredDivisor(config)}`,
    output: `${OUTPUT_NAME}: float32 per-pixel class scores before softmax, ${o.layout === 'NHWC' ? '[batch,height,width,classes]' : '[batch,classes,height,width]'}`,
    segnet_config: JSON.stringify(config),
  };
  if (config.unpool === 'switch') {
    props.switch_ties = 'MaxPool Indices pick the first maximum in row-major window order, as the tfjs switches do';
  }
  return Object.entries(props).map(([key, value]) => ({ key, value }));
}

/**
 * ONNX ModelProto bytes of a SegNet's inference pass from its config and weight values (no tfjs needed).
 * The graph computes NCHW; with layout NHWC a Transpose sits at the input and at the output.
 */
export function buildSegnetOnnx(config: SegNetConfig, weights: SegNetWeights, options?: ExportOptions): Uint8Array {
  const o = parseExportOptions(options);
  const div = requiredDivisor(config);
  if (o.inputSize && (o.inputSize[0] % div !== 0 || o.inputSize[1] % div !== 0)) {
    throw new Error(`exportOnnx: inputSize [${o.inputSize}] must be divisible by ${div} (2^${config.widths.length} blocks)`);
  }
  const doc =
    `SegNet (${config.unpool} unpooling${config.bayesian ? ', Bayesian: deterministic pass' : ''}, widths [${config.widths}], ` +
    `convs per block [${config.convsPerBlock}]), exported from TensorFlow.js by ${PRODUCER_NAME}; ` +
    `batch norm ${o.foldBatchNorm ? 'folded into the convs' : 'as BatchNormalization nodes'}.`;
  return buildSegnetInferGraph(config, {
    weights,
    foldBatchNorm: o.foldBatchNorm,
    layout: o.layout,
    output: 'logits',
    dropout: false,
    batch: o.batch === 'dynamic' ? 'batch' : o.batch,
    inputSize: o.inputSize,
    model: { name: `segnet_${config.unpool}`, doc, opset: o.opset, metadata: metadata(config, o) },
  }).bytes;
}

/** ONNX ModelProto bytes of a SegNet's inference pass (see `buildSegnetOnnx`). */
export function exportOnnx(model: SegNet, options?: ExportOptions): Uint8Array {
  return buildSegnetOnnx(model.config, segnetWeights(model), options);
}
