import { BN_EPSILON, paramSpecs, requiredDivisor, type SegNet, type SegNetConfig } from '@unpool/models';
import { foldBatchNorm, hwioToOihw } from './conv_weights.js';
import { parseExportOptions, type ExportOptions, type ResolvedExportOptions } from './export_options.js';
import { attr, valueInfo, GraphBuilder, type Dim } from './graph_builder.js';
import { encodeModel, PRODUCER_NAME } from './model_proto.js';
import { floatTensor } from './tensor_proto.js';
import { emitMaxPool, emitNearestUpsample, emitRatioUnpool, emitSwitchUnpool } from './unpool_nodes.js';

export const INPUT_NAME = 'images';
export const OUTPUT_NAME = 'logits';
export { PRODUCER_NAME };

/** Weight values by `paramSpecs` name, checked against the config's shapes. */
export type SegNetWeights = Map<string, Float32Array>;

function weight(weights: SegNetWeights, config: SegNetConfig, name: string): Float32Array {
  const w = weights.get(name);
  if (!w) throw new Error(`exportOnnx: weight '${name}' is missing`);
  const spec = paramSpecs(config).find((s) => s.name === name)!;
  const n = spec.shape.reduce((a, b) => a * b, 1);
  if (w.length !== n) throw new Error(`exportOnnx: weight '${name}' has ${w.length} values, shape [${spec.shape}] needs ${n}`);
  return w;
}

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

/** Conv 3x3 'same' + inference batch norm (folded or not) + ReLU, NCHW. */
function emitConvBnRelu(
  g: GraphBuilder,
  config: SegNetConfig,
  weights: SegNetWeights,
  x: string,
  block: string,
  i: number,
  fold: boolean,
): string {
  const convName = `${block}.conv${i}`;
  const bnName = `${block}.bn${i}`;
  const spec = paramSpecs(config).find((s) => s.name === `${convName}.kernel`)!;
  const { data, dims } = hwioToOihw(weight(weights, config, `${convName}.kernel`), spec.shape);
  // tfjs 'same' padding of a 3x3 stride-1 conv is exactly one pixel on every side.
  const convAttrs = [attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1]), attr.ints('strides', [1, 1])];
  const bn = {
    gamma: weight(weights, config, `${bnName}.gamma`),
    beta: weight(weights, config, `${bnName}.beta`),
    mean: weight(weights, config, `${bnName}.mean`),
    variance: weight(weights, config, `${bnName}.variance`),
  };
  let normalized: string;
  if (fold) {
    const folded = foldBatchNorm(data, dims, bn, BN_EPSILON);
    const w = g.initializer(floatTensor(`${convName}.weight_folded`, dims, folded.weight));
    const b = g.initializer(floatTensor(`${convName}.bias_folded`, [dims[0]], folded.bias));
    [normalized] = g.node('Conv', [x, w, b], [`${convName}.out`], convAttrs);
  } else {
    const w = g.initializer(floatTensor(`${convName}.weight`, dims, data));
    const [conv] = g.node('Conv', [x, w], [`${convName}.out`], convAttrs);
    const inputs = (['gamma', 'beta', 'mean', 'variance'] as const).map((k) =>
      g.initializer(floatTensor(`${bnName}.${k}`, [dims[0]], bn[k])),
    );
    [normalized] = g.node('BatchNormalization', [conv, ...inputs], [`${bnName}.out`], [attr.float('epsilon', BN_EPSILON)]);
  }
  return g.node('Relu', [normalized], [`${block}.relu${i}`])[0];
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
  const g = new GraphBuilder();
  let h = g.input(INPUT_NAME);
  if (o.layout === 'NHWC') [h] = g.node('Transpose', [h], [`${INPUT_NAME}.nchw`], [attr.ints('perm', [0, 3, 1, 2])]);

  const skips: Array<{ prePool: string; pooled: string; switches?: string }> = [];
  config.widths.forEach((_, b) => {
    for (let i = 0; i < config.convsPerBlock[b]; i++) h = emitConvBnRelu(g, config, weights, h, `enc${b}`, i, o.foldBatchNorm);
    const prePool = h;
    const { pooled, switches } = emitMaxPool(g, prePool, `enc${b}.pool`, config.unpool === 'switch');
    skips.push({ prePool, pooled, switches });
    h = pooled;
  });
  for (let b = config.widths.length - 1; b >= 0; b--) {
    const skip = skips[b];
    const out = `dec${b}.unpool`;
    if (config.unpool === 'switch') h = emitSwitchUnpool(g, h, skip.switches!, out);
    else if (config.unpool === 'ratio') h = emitRatioUnpool(g, h, skip.prePool, skip.pooled, out);
    else h = emitNearestUpsample(g, h, out);
    for (let i = 0; i < config.convsPerBlock[b]; i++) h = emitConvBnRelu(g, config, weights, h, `dec${b}`, i, o.foldBatchNorm);
  }
  const cls = hwioToOihw(weight(weights, config, 'cls.kernel'), [1, 1, config.widths[0], config.classes]);
  const clsW = g.initializer(floatTensor('cls.weight', cls.dims, cls.data));
  const clsB = g.initializer(floatTensor('cls.bias', [config.classes], weight(weights, config, 'cls.bias')));
  const nchwOut = o.layout === 'NHWC' ? `${OUTPUT_NAME}.nchw` : OUTPUT_NAME;
  [h] = g.node('Conv', [h, clsW, clsB], [nchwOut], [attr.ints('kernel_shape', [1, 1]), attr.ints('strides', [1, 1])]);
  if (o.layout === 'NHWC') g.node('Transpose', [h], [OUTPUT_NAME], [attr.ints('perm', [0, 2, 3, 1])]);

  const batch: Dim = o.batch === 'dynamic' ? 'batch' : o.batch;
  const [height, width]: Dim[] = o.inputSize ?? ['height', 'width'];
  const shape = (c: number): Dim[] => (o.layout === 'NHWC' ? [batch, height, width, c] : [batch, c, height, width]);
  const doc =
    `SegNet (${config.unpool} unpooling${config.bayesian ? ', Bayesian: deterministic pass' : ''}, widths [${config.widths}], ` +
    `convs per block [${config.convsPerBlock}]), exported from TensorFlow.js by ${PRODUCER_NAME}; ` +
    `batch norm ${o.foldBatchNorm ? 'folded into the convs' : 'as BatchNormalization nodes'}.`;
  return encodeModel(g, {
    name: `segnet_${config.unpool}`,
    doc,
    inputs: [valueInfo(INPUT_NAME, shape(config.inputChannels))],
    outputs: [valueInfo(OUTPUT_NAME, shape(config.classes))],
    opset: o.opset,
    metadata: metadata(config, o),
  });
}

/** ONNX ModelProto bytes of a SegNet's inference pass (see `buildSegnetOnnx`). */
export function exportOnnx(model: SegNet, options?: ExportOptions): Uint8Array {
  return buildSegnetOnnx(model.config, segnetWeights(model), options);
}
