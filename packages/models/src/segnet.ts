import * as tf from '@tensorflow/tfjs';
import { batchNorm, type BatchNormParams } from './batch_norm.js';
import { dropoutMask } from './dropout_mask.js';
import type { SegNetConfig } from './segnet_config.js';
import type { SegNetParams } from './segnet_params.js';
import { interpretPlan, segnetPlan, type PlanInterpreter } from './segnet_plan.js';
import { siteSeed } from './seeds.js';
import { UNPOOL_REGISTRY, type TfjsSkip } from './unpool_modes.js';

export interface ForwardOptions {
  /** Batch statistics + running-average updates (true) or running statistics (false). */
  training: boolean;
  /**
   * Seed of this pass's dropout masks (Bayesian models); null turns dropout off, which with inverted
   * dropout is exactly the weight-scaled deterministic pass.
   */
  dropoutSeed: number | null;
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

/** The plan interpreted with tfjs ops: the autodiff reference of every other interpreter. */
function tfjsInterpreter(params: SegNetParams, options: ForwardOptions): PlanInterpreter<tf.Tensor4D, TfjsSkip> {
  return {
    conv: (h, s) => {
      const z = tf.conv2d(h, param(params, `${s.conv}.kernel`) as unknown as tf.Tensor4D, 1, 'same');
      return tf.relu(batchNorm(z, bnParams(params, s.bn), options.training));
    },
    pool: (h, s) => {
      const skip = UNPOOL_REGISTRY[s.mode].pool(h);
      return { out: skip.pooled, skip };
    },
    unpool: (h, skip, s) => UNPOOL_REGISTRY[s.mode].unpool(h, skip),
    dropout: (h, s) =>
      options.dropoutSeed === null ? h : tf.mul(h, dropoutMask(h.shape, s.rate, siteSeed(options.dropoutSeed, s.site))),
    classifier: (h) =>
      tf.add(tf.conv2d(h, param(params, 'cls.kernel') as unknown as tf.Tensor4D, 1, 'same'), param(params, 'cls.bias')),
  };
}

/** SegNet forward pass: images [B,H,W,C] in, per-pixel logits [B,H,W,classes] out. */
export function segnetForward(
  config: SegNetConfig,
  params: SegNetParams,
  images: tf.Tensor4D,
  options: ForwardOptions,
): tf.Tensor4D {
  const plan = segnetPlan(config);
  const [, height, width, channels] = images.shape;
  if (height % plan.divisor !== 0 || width % plan.divisor !== 0) {
    throw new Error(`segnetForward: input ${height}x${width} must be divisible by ${plan.divisor} (2^${config.widths.length} blocks)`);
  }
  if (channels !== config.inputChannels) {
    throw new Error(`segnetForward: input has ${channels} channels, the model expects ${config.inputChannels}`);
  }
  return interpretPlan(plan, images, tfjsInterpreter(params, options));
}
