import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { createSegNet, paramSpecs, segnetConfig, type SegNet, type SegNetConfig } from '@unpool/models';
import { GRAD_RULES } from '../src/autodiff/grad_rules.js';
import { Tape, type Value } from '../src/autodiff/tape.js';
import { valueInfo, type Dim } from '../src/graph_builder.js';
import { encodeOnnx } from '../src/onnx_schema.js';

/** mulberry32: seeded, so every run sees the same "random" inputs. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Two blocks of one conv each: the smallest SegNet that has every pattern, nested once. */
export function tinyConfig(over: Partial<SegNetConfig> = {}): SegNetConfig {
  return segnetConfig({ preset: 'mini', widths: [4, 6], convsPerBlock: [1, 1], classes: 5, ...over });
}

/**
 * A random-weight SegNet whose batch norms are not the identity: fresh models have gamma 1, beta 0,
 * mean 0, variance 1, which would make BN folding trivially right.
 */
export function randomSegNet(config: SegNetConfig, seed: number): SegNet {
  const model = createSegNet(config, seed);
  const rand = rng(seed + 7);
  const u = (n: number, lo: number, hi: number) => Array.from({ length: n }, () => lo + (hi - lo) * rand());
  for (const s of paramSpecs(config)) {
    const n = s.shape[0];
    const v = model.params.get(s.name)!;
    if (s.name.endsWith('.gamma')) v.assign(tf.tensor1d(u(n, 0.5, 1.5)));
    else if (s.name.endsWith('.beta')) v.assign(tf.tensor1d(u(n, -0.3, 0.3)));
    else if (s.name.endsWith('.mean')) v.assign(tf.tensor1d(u(n, -0.3, 0.3)));
    else if (s.name.endsWith('.variance')) v.assign(tf.tensor1d(u(n, 0.3, 2)));
    else if (s.name === 'cls.bias') v.assign(tf.tensor1d(u(n, -0.2, 0.2)));
  }
  return model;
}

/** `n` HWC images with values in [0,1]. */
export function randomImages(n: number, h: number, w: number, c: number, seed: number): Float32Array[] {
  const rand = rng(seed);
  return Array.from({ length: n }, () => Float32Array.from({ length: h * w * c }, () => rand()));
}

export function session(bytes: Uint8Array, threads = 1): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all', intraOpNumThreads: threads });
}

export interface Io {
  name: string;
  dims: Dim[];
  type?: 'FLOAT' | 'INT64' | 'INT32';
  /** A differentiable input (gradient-rule tests). */
  grad?: boolean;
}

/**
 * A standalone opset-17 model around nodes emitted on a tape by `emit` (the same emitters the graphs use):
 * `emit` gets the inputs by name (differentiable when `grad`) and returns the outputs by name.
 */
export function patternModel(
  inputs: Io[],
  outputs: Io[],
  emit: (t: Tape, inputs: Record<string, Value>) => Record<string, Value>,
): Uint8Array {
  const t = new Tape(GRAD_RULES);
  const values = Object.fromEntries(inputs.map((i) => [i.name, t.input(i.name, { differentiable: i.grad ?? false, dims: i.dims.every((d) => typeof d === 'number') ? (i.dims as number[]) : undefined })]));
  const out = emit(t, values);
  for (const o of outputs) t.node('Identity', [out[o.name]], [], 1, [o.name]);
  const g = t.g;
  return encodeOnnx('ModelProto', {
    ir_version: 8,
    opset_import: [{ domain: '', version: 17 }],
    producer_name: 'test',
    graph: {
      name: 'pattern',
      node: g.nodes,
      initializer: g.initializers,
      input: inputs.map((i) => valueInfo(i.name, i.dims, i.type)),
      output: outputs.map((o) => valueInfo(o.name, o.dims, o.type)),
    },
  });
}

export function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`maxAbs: lengths ${a.length} and ${b.length} differ`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
