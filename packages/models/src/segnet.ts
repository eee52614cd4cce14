import * as tf from '@tensorflow/tfjs';
import { maxPool2x2, maxPoolWithSwitches, nearestUnpool, ratioUnpool, switchUnpool } from '@unpool/ops';
import { batchNorm, type BatchNormParams } from './batch_norm.js';
import { dropoutSites, requiredDivisor, type SegNetConfig } from './segnet_config.js';
import type { SegNetParams } from './segnet_params.js';
import { dropoutMask } from './dropout_mask.js';
import { siteSeed } from './seeds.js';

export interface ForwardOptions {
  /** Batch statistics + running-average updates (true) or running statistics (false). */
  training: boolean;
  /**
   * Seed of this pass's dropout masks (Bayesian models); null turns dropout off, which with inverted
   * dropout is exactly the weight-scaled deterministic pass.
   */
  dropoutSeed: number | null;
}

/** What the decoder needs from an encoder block to unpool: exactly what the unpool mode keeps. */
interface Skip {
  prePool: tf.Tensor4D;
  pooled: tf.Tensor4D;
  switches?: tf.Tensor;
}

function param(params: SegNetParams, name: string): tf.Variable {
  const v = params.get(name);
  if (!v) throw new Error(`SegNet: parameter '${name}' is missing`);
  return v;
}

function bnParams(params: SegNetParams, prefix: string): BatchNormParams {
  const v = (n: string) => param(params, `${prefix}.${n}`) as tf.Variable<tf.Rank.R1>;
  return { gamma: v('gamma'), beta: v('beta'), mean: v('mean'), variance: v('variance') };
}

function convBnRelu(h: tf.Tensor4D, params: SegNetParams, block: string, i: number, training: boolean): tf.Tensor4D {
  const kernel = param(params, `${block}.conv${i}.kernel`) as unknown as tf.Tensor4D;
  const z = tf.conv2d(h, kernel, 1, 'same');
  return tf.relu(batchNorm(z, bnParams(params, `${block}.bn${i}`), training));
}

/** SegNet forward pass: images [B,H,W,C] in, per-pixel logits [B,H,W,classes] out. */
export function segnetForward(
  config: SegNetConfig,
  params: SegNetParams,
  images: tf.Tensor4D,
  options: ForwardOptions,
): tf.Tensor4D {
  const [, height, width, channels] = images.shape;
  const div = requiredDivisor(config);
  if (height % div !== 0 || width % div !== 0) {
    throw new Error(`segnetForward: input ${height}x${width} must be divisible by ${div} (2^${config.widths.length} blocks)`);
  }
  if (channels !== config.inputChannels) {
    throw new Error(`segnetForward: input has ${channels} channels, the model expects ${config.inputChannels}`);
  }
  const drop = dropoutSites(config);
  const dropout = (h: tf.Tensor4D, site: number): tf.Tensor4D =>
    options.dropoutSeed === null ? h : tf.mul(h, dropoutMask(h.shape, config.dropout, siteSeed(options.dropoutSeed, site)));

  const skips: Skip[] = [];
  let h = images;
  config.widths.forEach((_, b) => {
    for (let i = 0; i < config.convsPerBlock[b]; i++) h = convBnRelu(h, params, `enc${b}`, i, options.training);
    const prePool = h;
    if (config.unpool === 'switch') {
      const { pooled, switches } = maxPoolWithSwitches(prePool);
      skips.push({ prePool, pooled, switches });
      h = pooled;
    } else {
      // Ratio and nearest unpooling need no switches, so the encoder never computes them.
      h = maxPool2x2(prePool);
      skips.push({ prePool, pooled: h });
    }
    if (drop.has(b)) h = dropout(h, b);
  });

  for (let b = config.widths.length - 1; b >= 0; b--) {
    const skip = skips[b];
    if (config.unpool === 'switch') h = switchUnpool(h, skip.switches!, skip.prePool.shape);
    else if (config.unpool === 'ratio') h = ratioUnpool(h, skip.prePool, skip.pooled);
    else h = nearestUnpool(h);
    for (let i = 0; i < config.convsPerBlock[b]; i++) h = convBnRelu(h, params, `dec${b}`, i, options.training);
    if (drop.has(b) && b > 0) h = dropout(h, 100 + b);
  }
  const logits = tf.add(
    tf.conv2d(h, param(params, 'cls.kernel') as unknown as tf.Tensor4D, 1, 'same'),
    param(params, 'cls.bias'),
  );
  return logits as tf.Tensor4D;
}
