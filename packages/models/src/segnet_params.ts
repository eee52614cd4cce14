import * as tf from '@tensorflow/tfjs';
import type { SegNetConfig } from './segnet_config.js';
import { siteSeed } from './seeds.js';

/** One named weight: trainable weights get gradients; BN running statistics do not. */
export interface ParamSpec {
  name: string;
  shape: number[];
  trainable: boolean;
  init: 'he' | 'glorot' | 'zeros' | 'ones';
}

/**
 * The parameter layout of a SegNet, in a fixed order. The names are the contract with checkpoints and
 * the ONNX exporter:
 *   enc{b}.conv{c}.kernel [3,3,in,out]  enc{b}.bn{c}.{gamma,beta,mean,variance} [out]
 *   dec{b}.conv{c}.kernel ...           dec{b}.bn{c}.{...}
 *   cls.kernel [1,1,widths[0],classes]  cls.bias [classes]
 * Convs that feed a batch norm carry no bias (the BN offset subsumes it).
 */
export function paramSpecs(c: SegNetConfig): ParamSpec[] {
  const specs: ParamSpec[] = [];
  const convBn = (prefix: string, cin: number, cout: number) => {
    specs.push({ name: `${prefix.replace('#', 'conv')}.kernel`, shape: [3, 3, cin, cout], trainable: true, init: 'he' });
    const bn = prefix.replace('#', 'bn');
    specs.push({ name: `${bn}.gamma`, shape: [cout], trainable: true, init: 'ones' });
    specs.push({ name: `${bn}.beta`, shape: [cout], trainable: true, init: 'zeros' });
    specs.push({ name: `${bn}.mean`, shape: [cout], trainable: false, init: 'zeros' });
    specs.push({ name: `${bn}.variance`, shape: [cout], trainable: false, init: 'ones' });
  };
  let cin = c.inputChannels;
  c.widths.forEach((w, b) => {
    for (let i = 0; i < c.convsPerBlock[b]; i++) {
      convBn(`enc${b}.#${i}`, i === 0 ? cin : w, w);
    }
    cin = w;
  });
  for (let b = c.widths.length - 1; b >= 0; b--) {
    const w = c.widths[b];
    // The last conv of a decoder block hands the next shallower block the width its encoder had, so
    // that ratio/switch unpooling there sees matching channel counts.
    const out = b > 0 ? c.widths[b - 1] : c.widths[0];
    for (let i = 0; i < c.convsPerBlock[b]; i++) {
      const last = i === c.convsPerBlock[b] - 1;
      convBn(`dec${b}.#${i}`, w, last ? out : w);
    }
  }
  specs.push({ name: 'cls.kernel', shape: [1, 1, c.widths[0], c.classes], trainable: true, init: 'glorot' });
  specs.push({ name: 'cls.bias', shape: [c.classes], trainable: true, init: 'zeros' });
  return specs;
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
  }
}
