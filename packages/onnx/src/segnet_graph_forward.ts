import { BN_EPSILON, dropoutSites, paramSpecs, type SegNetConfig } from '@unpool/models';
import { attr, valueInfo, type GraphBuilder, type ValueInfoObject } from './graph_builder.js';
import { floatTensor } from './tensor_proto.js';
import { emitMaxPool, emitRatioUnpool, emitSwitchUnpool, emitNearestUpsample } from './unpool_nodes.js';

/**
 * The SegNet forward pass as ONNX nodes with the weights named as in `paramSpecs` (tfjs layouts: HWIO
 * kernels): graph inputs for the training-step graph (one session serves every step, fed the current
 * values; batch statistics, every tensor the backward pass needs kept by name), constants for the
 * inference graph (running statistics, optional MC-dropout masks).
 */

export interface DropoutMaskInput {
  /** Graph input name. */
  name: string;
  /** The `siteSeed` site of `segnetForward`: encoder block b -> b, decoder block b -> 100 + b. */
  site: number;
  /** Mask shape relative to the input, NHWC: [batch, height / scale, width / scale, channels]. */
  scale: number;
  channels: number;
}

/** A batch norm and the resolution it normalises at: input size / scale (encoder/decoder block b: 2^b). */
export interface BatchNormSite {
  name: string;
  scale: number;
}

export interface ConvRecord {
  /** paramSpecs prefix, e.g. `enc0.conv1` / `enc0.bn1`. */
  conv: string;
  bn: string;
  input: string;
  /** Training only: the centred conv output z - mean, 1/std and gamma/std (both [1,C,1,1]). */
  centered?: string;
  rstd?: string;
  gammaRstd?: string;
  /** ReLU output. */
  output: string;
}

export interface EncoderRecord {
  convs: ConvRecord[];
  prePool: string;
  pooled: string;
  /** MaxPool Indices (always in training: the pooling gradient needs them). */
  indices?: string;
  /** After dropout, when there is dropout at this block. */
  output: string;
  mask?: string;
}

export interface DecoderRecord {
  /** The unpool's decoder-side input (y). */
  input: string;
  unpooled: string;
  convs: ConvRecord[];
  output: string;
  mask?: string;
}

export interface ForwardRecord {
  encoders: EncoderRecord[];
  /** Indexed by block b (decoders[b] unpools to encoder b's size), like `encoders`. */
  decoders: DecoderRecord[];
  /** Classifier input and output (NCHW logits). */
  features: string;
  logits: string;
  masks: DropoutMaskInput[];
  /** BNs in order; training graphs output their batch moments. */
  batchNorms: BatchNormSite[];
}

export const IMAGES = 'images';

/** The `images` input declaration: NHWC with symbolic batch and size (one graph serves any of them). */
export function imagesInput(config: SegNetConfig): ValueInfoObject {
  return valueInfo(IMAGES, ['batch', 'height', 'width', config.inputChannels]);
}

/** Declarations of the dropout mask inputs, NHWC at their block's resolution. */
export function maskInputs(masks: readonly DropoutMaskInput[]): ValueInfoObject[] {
  return masks.map((m) => valueInfo(m.name, ['batch', `height/${m.scale}`, `width/${m.scale}`, m.channels]));
}

/** Int64 constant helper names are derived from their values, so equal constants are stored once. */
export function int64Const(g: GraphBuilder, values: readonly number[]): string {
  return g.sharedInt64(`const.i64[${values.join(',')}]`, [values.length], values);
}

export function floatScalar(g: GraphBuilder, value: number): string {
  return g.sharedFloat(`const.f32(${value})`, [], [value]);
}

/** HWIO kernel input -> OIHW for Conv. */
function oihw(g: GraphBuilder, kernel: string): string {
  return g.node('Transpose', [kernel], [`${kernel}.oihw`], [attr.ints('perm', [3, 2, 0, 1])])[0];
}

/** A per-channel vector [C] as [1,C,1,1] for broadcasting against NCHW. */
export function perChannel(g: GraphBuilder, v: string, out = `${v}.nchw`): string {
  return g.node('Reshape', [v, int64Const(g, [1, -1, 1, 1])], [out])[0];
}

/** Batch norm with the batch's own moments over N, H, W; keeps what its gradient needs. */
function batchNormTraining(g: GraphBuilder, z: string, bn: string, rec: ConvRecord): string {
  const axes = [attr.ints('axes', [0, 2, 3]), attr.int('keepdims', 1)];
  const [mean] = g.node('ReduceMean', [z], [`${bn}.batch_mean`], axes);
  const [centered] = g.node('Sub', [z, mean], [`${bn}.centered`]);
  const [sq] = g.node('Mul', [centered, centered], [`${bn}.centered_sq`]);
  const [variance] = g.node('ReduceMean', [sq], [`${bn}.batch_variance`], axes);
  const [std] = g.node('Sqrt', [g.node('Add', [variance, floatScalar(g, BN_EPSILON)], [`${bn}.var_eps`])[0]], [`${bn}.std`]);
  const [rstd] = g.node('Reciprocal', [std], [`${bn}.rstd`]);
  // gamma * (z - mean) / std as one full-size product: the per-channel factor is folded first.
  const [gammaRstd] = g.node('Mul', [perChannel(g, `${bn}.gamma`), rstd], [`${bn}.gamma_rstd`]);
  const beta4 = perChannel(g, `${bn}.beta`);
  const [scaled] = g.node('Mul', [centered, gammaRstd], [`${bn}.scaled`]);
  rec.centered = centered;
  rec.rstd = rstd;
  rec.gammaRstd = gammaRstd;
  return g.node('Add', [scaled, beta4], [`${bn}.out`])[0];
}

function convBnRelu(g: GraphBuilder, x: string, block: string, i: number, training: boolean): ConvRecord {
  const conv = `${block}.conv${i}`;
  const bn = `${block}.bn${i}`;
  const rec: ConvRecord = { conv, bn, input: x, output: '' };
  const pads = [attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1]), attr.ints('strides', [1, 1])];
  const [z] = g.node('Conv', [x, oihw(g, `${conv}.kernel`)], [`${conv}.out`], pads);
  const normalized = training
    ? batchNormTraining(g, z, bn, rec)
    : g.node('BatchNormalization', [z, `${bn}.gamma`, `${bn}.beta`, `${bn}.mean`, `${bn}.variance`], [`${bn}.out`], [attr.float('epsilon', BN_EPSILON)])[0];
  rec.output = g.node('Relu', [normalized], [`${block}.relu${i}`])[0];
  return rec;
}

function applyMask(g: GraphBuilder, h: string, mask: DropoutMaskInput): string {
  const [nchw] = g.node('Transpose', [g.input(mask.name)], [`${mask.name}.nchw`], [attr.ints('perm', [0, 3, 1, 2])]);
  return g.node('Mul', [h, nchw], [`${mask.name}.applied`])[0];
}

/**
 * Emits the forward pass from the `images` input (NHWC) to NCHW logits. Declares the parameter inputs
 * (trainable ones, plus running statistics when not training) and, when `dropout`, one mask input per
 * dropout site: masks are fed rather than drawn in the graph so they are exactly the masks tfjs' seeded
 * `tf.dropout` draws (same seed, same RNG), whichever engine runs the pass.
 */
export function emitSegnetForward(
  g: GraphBuilder,
  config: SegNetConfig,
  options: { training: boolean; dropout: boolean; weights?: ReadonlyMap<string, Float32Array> },
): ForwardRecord {
  const { training, weights } = options;
  for (const s of paramSpecs(config)) {
    if (training && !s.trainable) continue;
    if (!weights) {
      g.input(s.name);
      continue;
    }
    // Constant weights let ORT fold BN into the conv, fuse the ReLU and pick its blocked (NCHWc) convs.
    const w = weights.get(s.name);
    if (!w) throw new Error(`SegNet graph: weight '${s.name}' is missing`);
    g.initializer(floatTensor(s.name, s.shape, w));
  }
  g.input(IMAGES);
  const [images] = g.node('Transpose', [IMAGES], [`${IMAGES}.nchw`], [attr.ints('perm', [0, 3, 1, 2])]);
  const drop = options.dropout ? dropoutSites(config) : new Set<number>();
  const masks: DropoutMaskInput[] = [];
  const batchNorms: BatchNormSite[] = [];
  const blocks = config.widths.length;

  const encoders: EncoderRecord[] = [];
  let h = images;
  for (let b = 0; b < blocks; b++) {
    const convs: ConvRecord[] = [];
    for (let i = 0; i < config.convsPerBlock[b]; i++) {
      const rec = convBnRelu(g, h, `enc${b}`, i, training);
      convs.push(rec);
      batchNorms.push({ name: rec.bn, scale: 2 ** b });
      h = rec.output;
    }
    const prePool = h;
    const { pooled, switches } = emitMaxPool(g, prePool, `enc${b}.pool`, training || config.unpool === 'switch');
    const enc: EncoderRecord = { convs, prePool, pooled, indices: switches, output: pooled };
    if (drop.has(b)) {
      const mask: DropoutMaskInput = { name: `mask.enc${b}`, site: b, scale: 2 ** (b + 1), channels: config.widths[b] };
      masks.push(mask);
      enc.mask = mask.name;
      enc.output = applyMask(g, pooled, mask);
    }
    encoders.push(enc);
    h = enc.output;
  }

  const decoders: DecoderRecord[] = new Array(blocks);
  for (let b = blocks - 1; b >= 0; b--) {
    const enc = encoders[b];
    const out = `dec${b}.unpool`;
    const input = h;
    if (config.unpool === 'switch') h = emitSwitchUnpool(g, h, enc.indices!, out);
    else if (config.unpool === 'ratio') h = emitRatioUnpool(g, h, enc.prePool, enc.pooled, out);
    else h = emitNearestUpsample(g, h, out);
    const dec: DecoderRecord = { input, unpooled: h, convs: [], output: '' };
    for (let i = 0; i < config.convsPerBlock[b]; i++) {
      const rec = convBnRelu(g, h, `dec${b}`, i, training);
      dec.convs.push(rec);
      batchNorms.push({ name: rec.bn, scale: 2 ** b });
      h = rec.output;
    }
    if (drop.has(b) && b > 0) {
      const width = b > 0 ? config.widths[b - 1] : config.widths[0];
      const mask: DropoutMaskInput = { name: `mask.dec${b}`, site: 100 + b, scale: 2 ** b, channels: width };
      masks.push(mask);
      dec.mask = mask.name;
      h = applyMask(g, h, mask);
    }
    dec.output = h;
    decoders[b] = dec;
  }

  const [clsW] = g.node('Transpose', ['cls.kernel'], ['cls.kernel.oihw'], [attr.ints('perm', [3, 2, 0, 1])]);
  const [logits] = g.node('Conv', [h, clsW, 'cls.bias'], ['cls.logits'], [attr.ints('kernel_shape', [1, 1]), attr.ints('strides', [1, 1])]);
  return { encoders, decoders, features: h, logits, masks, batchNorms };
}
