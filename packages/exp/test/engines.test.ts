import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createSegNet, paramSpecs, segnetConfig, type SegNet, type SegNetConfig, type UnpoolMode } from '@unpool/models';
import { selectBackend } from '@unpool/runtime';
import { createEngine, resolveEngine, type SegNetEngine } from '../src/index.js';

/**
 * The ONNX Runtime engine against tfjs autodiff (the reference: its ops are tested against float64 loop
 * references) on the same weights, batch, class weights and dropout seed: loss, every gradient, the BN
 * running statistics after the step, and MC-dropout inference.
 */

const N = 2;
const H = 32;
const W = 48;

beforeAll(async () => {
  await selectBackend('cpu');
});

// Four blocks (so dropout sits on encoder AND decoder sites), one- and two-conv blocks, 20 classes + void.
function config(unpool: UnpoolMode, bayesian: boolean): SegNetConfig {
  return segnetConfig({ preset: 'mini', widths: [4, 8, 8, 8], convsPerBlock: [2, 2, 1, 1], unpool, bayesian, dropout: 0.5 });
}

function batch(seed: number) {
  return tf.tidy(() => {
    const images = tf.randomUniform([N, H, W, 3], 0, 1, 'float32', seed) as tf.Tensor4D;
    const classes = tf.randomUniform([N, H, W], 0, 20, 'int32', seed + 1);
    const isVoid = tf.less(tf.randomUniform([N, H, W], 0, 1, 'float32', seed + 2), 0.1);
    const labels = tf.where(isVoid, tf.fill([N, H, W], 255, 'int32'), classes) as tf.Tensor3D;
    return { images, labels };
  });
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 && nb === 0 ? 1 : dot / Math.sqrt(na * nb);
}

/** max |a - b| relative to max |a|. */
function relMaxDiff(a: Float32Array, b: Float32Array): number {
  let d = 0;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(a[i]));
  }
  return d / Math.max(m, 1e-12);
}

const engines: SegNetEngine[] = [];
const models: SegNet[] = [];
afterAll(async () => {
  for (const e of engines) await e.dispose();
  models.forEach((m) => m.dispose());
});

function pair(c: SegNetConfig): { ref: SegNet; ort: SegNet; tfjs: SegNetEngine; onnx: SegNetEngine } {
  const ref = createSegNet(c, 3);
  const ort = createSegNet(c, 3);
  const tfjs = createEngine('tfjs', c);
  const onnx = createEngine('onnxruntime', c, { threads: 1 });
  models.push(ref, ort);
  engines.push(tfjs, onnx);
  return { ref, ort, tfjs, onnx };
}

describe.each([
  ['switch', false],
  ['ratio', false],
  ['nearest', false],
  ['switch', true],
  ['ratio', true],
] as const)('onnxruntime engine vs tfjs autodiff: %s unpooling, bayesian %s', (unpool, bayesian) => {
  test('one training step: loss, gradients, BN running statistics', async () => {
    const c = config(unpool, bayesian);
    const { ref, ort, tfjs, onnx } = pair(c);
    expect(tfjs.name).toBe('tfjs');
    expect(onnx.name).toBe('onnxruntime');
    const b = batch(11);
    const weights = tf.tensor1d(Array.from({ length: 20 }, (_, i) => 0.3 + (i % 7) * 0.25));
    const seed = bayesian ? 4242 : null;
    const a = await tfjs.gradients(ref, b, weights, seed);
    const o = await onnx.gradients(ort, b, weights, seed);
    expect(Math.abs(o.loss.dataSync()[0] - a.loss.dataSync()[0])).toBeLessThan(1e-5 * Math.abs(a.loss.dataSync()[0]));

    const trainable = paramSpecs(c).filter((s) => s.trainable);
    expect([...o.grads.keys()]).toEqual(trainable.map((s) => s.name));
    for (const s of trainable) {
      const ga = a.grads.get(s.name)!.dataSync() as Float32Array;
      const go = o.grads.get(s.name)!.dataSync() as Float32Array;
      expect(o.grads.get(s.name)!.shape, s.name).toEqual(s.shape);
      // Switch/nearest: the same arithmetic up to summation order. Ratio divides by pooled maxima, which
      // amplifies float32 rounding (as between any two float32 implementations, see the runtime's
      // wasm-vs-cpu test), so there the whole gradient's direction is held instead of every element.
      if (unpool === 'ratio') expect(cosine(ga, go), s.name).toBeGreaterThan(0.999);
      else expect(relMaxDiff(ga, go), s.name).toBeLessThan(2e-3);
    }
    for (const s of paramSpecs(c).filter((p) => !p.trainable)) {
      const before = s.name.endsWith('.mean') ? 0 : 1;
      const ra = ref.params.get(s.name)!.dataSync() as Float32Array;
      const ro = ort.params.get(s.name)!.dataSync() as Float32Array;
      // The step moved the running statistics off their initial values, the same way on both engines.
      expect(ra.some((v) => Math.abs(v - before) > 1e-4), s.name).toBe(true);
      expect(relMaxDiff(ra, ro), s.name).toBeLessThan(1e-4);
    }
    tf.dispose([b.images, b.labels, weights, a.loss, o.loss, ...a.grads.values(), ...o.grads.values()]);
  });

  test('inference: deterministic pass and MC-dropout mean', async () => {
    const c = config(unpool, bayesian);
    const { ref, ort, tfjs, onnx } = pair(c);
    // Non-trivial running statistics: one training step on each (checked equal above).
    const b = batch(21);
    const weights = tf.ones([20]) as tf.Tensor1D;
    for (const [e, m] of [[tfjs, ref], [onnx, ort]] as const) {
      const g = await e.gradients(m, b, weights, bayesian ? 7 : null);
      tf.dispose([g.loss, ...g.grads.values()]);
    }
    const pa = await tfjs.predictor(ref);
    const po = await onnx.predictor(ort);
    for (const options of [{ mcSamples: 1 }, { mcSamples: 3, seed: 5 }]) {
      const a = await pa.probs(b.images, options);
      const o = await po.probs(b.images, options);
      expect(o.shape).toEqual([N, H, W, 20]);
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a, o))).dataSync()[0]);
      expect(diff, JSON.stringify(options)).toBeLessThan(unpool === 'ratio' ? 1e-3 : 1e-4);
      tf.dispose([a, o]);
    }
    if (bayesian) {
      // Different MC seeds draw different masks: the mean moves.
      const a = await po.probs(b.images, { mcSamples: 3, seed: 5 });
      const o = await po.probs(b.images, { mcSamples: 3, seed: 6 });
      expect(tf.tidy(() => tf.max(tf.abs(tf.sub(a, o))).dataSync()[0])).toBeGreaterThan(1e-3);
      tf.dispose([a, o]);
    }
    await pa.release();
    await po.release();
    tf.dispose([b.images, b.labels, weights]);
  });
});

test('engine auto: ONNX Runtime on the CPU backends, tfjs on accelerators', () => {
  expect(resolveEngine('auto', 'wasm')).toBe('onnxruntime');
  expect(resolveEngine('auto', 'cpu')).toBe('onnxruntime');
  expect(resolveEngine('auto', 'webgpu')).toBe('tfjs');
  expect(resolveEngine('auto', 'tensorflow')).toBe('tfjs');
  expect(resolveEngine('tfjs', 'wasm')).toBe('tfjs');
  // Without onnxruntime-node (the GPU bundle's stub) auto stays on tfjs.
  expect(resolveEngine('auto', 'wasm', false)).toBe('tfjs');
});

test('a Bayesian step without a dropout seed is refused, not silently run without dropout', async () => {
  const c = config('ratio', true);
  const { ort, onnx } = pair(c);
  const b = batch(31);
  const w = tf.ones([20]) as tf.Tensor1D;
  await expect(onnx.gradients(ort, b, w, null)).rejects.toThrow(/dropout seed/);
  tf.dispose([b.images, b.labels, w]);
});
