import * as tf from '@tensorflow/tfjs';
import type { SegNetConfig } from './segnet_config.js';
import { siteSeed } from './seeds.js';
import { segnetPlan } from './segnet_plan.js';

/** One named weight: trainable weights get gradients; BN running statistics do not. */
export interface ParamSpec {
  name: string;
  shape: number[];
  trainable: boolean;
  init: 'he' | 'glorot' | 'zeros' | 'ones' | 'uniform';
  /** The bound of `uniform`: values are drawn from uniform(-limit, limit). */
  limit?: number;
}

/**
 * The parameter layout of a SegNet, in a fixed order (the plan's). The names are the contract with
 * checkpoints and the ONNX exporter:
 *   enc{b}.conv{c}.kernel [3,3,in,out]  enc{b}.bn{c}.{gamma,beta,mean,variance} [out]
 *   dec{b}.conv{c}.kernel ...           dec{b}.bn{c}.{...}
 *   cls.kernel [1,1,widths[0],classes]  cls.bias [classes]
 * Convs that feed a batch norm carry no bias (the BN offset subsumes it).
 */
export function paramSpecs(c: SegNetConfig): ParamSpec[] {
  return segnetPlan(c).params;
}

export type SegNetParams = Map<string, tf.Variable>;

export function paramCount(c: SegNetConfig, trainableOnly = true): number {
  return paramSpecs(c)
    .filter((s) => s.trainable || !trainableOnly)
    .reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
}

let modelCounter = 0;

/**
 * Fresh variables for a SegNet. tfjs variable names are global to the engine, so each model gets its own
 * scope prefix; checkpoints store the unprefixed names.
 */
export function initParams(c: SegNetConfig, seed: number): { params: SegNetParams; scope: string } {
  const scope = `segnet${modelCounter++}`;
  const params: SegNetParams = new Map();
  paramSpecs(c).forEach((s, i) => {
    const value = tf.tidy(() => initialValue(s, siteSeed(seed, i)));
    params.set(s.name, tf.variable(value, s.trainable, `${scope}/${s.name}`));
    value.dispose();
  });
  return { params, scope };
}

function initialValue(s: ParamSpec, seed: number): tf.Tensor {
  switch (s.init) {
    case 'zeros':
      return tf.zeros(s.shape);
    case 'ones':
      return tf.ones(s.shape);
    case 'he': {
      const fanIn = s.shape[0] * s.shape[1] * s.shape[2];
      return tf.truncatedNormal(s.shape, 0, Math.sqrt(2 / fanIn), 'float32', seed);
    }
    case 'glorot': {
      const fanIn = s.shape[0] * s.shape[1] * s.shape[2];
      const fanOut = s.shape[0] * s.shape[1] * s.shape[3];
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      return tf.randomUniform(s.shape, -limit, limit, 'float32', seed);
    }
    case 'uniform':
      if (!(s.limit! > 0)) throw new Error(`initParams: '${s.name}' is uniform without a positive limit`);
      return tf.randomUniform(s.shape, -s.limit!, s.limit!, 'float32', seed);
  }
}
