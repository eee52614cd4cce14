import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createSegNet, optimizerStepSize, paramSpecs, segnetConfig, type SegNet, type SegNetConfig, type UnpoolMode } from '@unpool/models';
import { cosine, relMaxDiff } from '@unpool/models/testing';
import { OrtSegNet, runOptimizerUpdate } from '@unpool/onnx';
import { selectBackend } from '@unpool/runtime';
import { createEngine, Optimizer, resolveEngine, tfjsGradients, type OptimizerConfig, type SegNetEngine } from '@unpool/exp';
import { autoExecutionProvider, masksFor, registerOnnxruntimeEngine } from '../src/index.js';

/**
 * The ONNX Runtime engine against tfjs autodiff (the reference: its ops are tested against float64 loop
 * references) on the same weights, batch, class weights and dropout seed: the generated step's loss, every
 * gradient and the BN running statistics; the in-graph optimizer against the tfjs Optimizer; whole Adam
 * steps of both engines' trainers; and MC-dropout inference.
 */

const N = 2;
const H = 32;
const W = 48;

beforeAll(async () => {
  await selectBackend('cpu');
  registerOnnxruntimeEngine();
});

// Four blocks (so dropout sits on encoder AND decoder sites), one- and two-conv blocks, 20 classes + void.
// Widths of 16 put most convs on the CPU EP's NCHWc kernels (conv_nodes.ts, blocks of 16 or 8 channels),
// the 4-channel ones and the classifier on standard Convs, so the step also crosses between the two layouts.
function config(unpool: UnpoolMode, bayesian: boolean): SegNetConfig {
  return segnetConfig({ preset: 'mini', widths: [4, 16, 16, 16], convsPerBlock: [2, 2, 1, 1], unpool, bayesian, dropout: 0.5 });
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

/** One step of each engine's trainer on the same batch; the model and optimizer see the result. */
async function stepBoth(c: SegNetConfig, e: { ref: SegNet; ort: SegNet; tfjs: SegNetEngine; onnx: SegNetEngine }, opt: OptimizerConfig, lrs: number[], seed: number | null) {
  const optimizers = [new Optimizer(opt), new Optimizer(opt)];
  const trainers = [await e.tfjs.trainer(e.ref, optimizers[0]), await e.onnx.trainer(e.ort, optimizers[1])];
  const losses: number[][] = [[], []];
  for (const [k, lr] of lrs.entries()) {
    const b = batch(40 + k);
    const w = tf.tensor1d(Array.from({ length: 20 }, (_, i) => 0.3 + (i % 7) * 0.25));
    for (const [i, tr] of trainers.entries()) {
      const loss = await tr.step(b, w, seed === null ? null : seed + k, lr);
      losses[i].push(loss.dataSync()[0]);
      loss.dispose();
    }
    tf.dispose([b.images, b.labels, w]);
  }
  for (const tr of trainers) {
    await tr.sync();
    await tr.dispose();
  }
  return { losses, optimizers };
}

describe.each([
  ['switch', false],
  ['ratio', false],
  ['nearest', false],
  ['switch', true],
  ['ratio', true],
] as const)('onnxruntime engine vs tfjs autodiff: %s unpooling, bayesian %s', (unpool, bayesian) => {
  test('the generated step: loss, gradients, BN running statistics', async () => {
    const c = config(unpool, bayesian);
    const ref = createSegNet(c, 3);
    const ort = createSegNet(c, 3);
    models.push(ref, ort);
    const b = batch(11);
    const weights = tf.tensor1d(Array.from({ length: 20 }, (_, i) => 0.3 + (i % 7) * 0.25));
    const seed = bayesian ? 4242 : null;
    const a = tfjsGradients(ref, b, weights, seed);
    // SGD at step size 0 leaves the weights alone; the gradients come out as graph outputs.
    const specs = paramSpecs(c);
    const values = new Map(specs.map((s) => [s.name, ort.params.get(s.name)!.dataSync() as Float32Array]));
    const trainer = await new OrtSegNet(c, { threads: 1 }).trainer(
      { name: 'sgd', momentum: 0 },
      (n) => values.get(n) ?? (n.includes('#') ? new Float32Array(values.get(n.split('#')[0])!.length) : undefined),
      { gradients: true },
    );
    const [n, h, w] = b.images.shape;
    const loss = await trainer.step({
      images: b.images.dataSync() as Float32Array,
      labels: b.labels.dataSync() as Int32Array,
      batch: n,
      height: h,
      width: w,
      classWeights: weights.dataSync() as Float32Array,
      lr: 0,
      masks: seed === null ? undefined : masksFor(trainer.masks, n, h, w, seed),
    });
    expect(Math.abs(loss - a.loss.dataSync()[0])).toBeLessThan(1e-5 * Math.abs(a.loss.dataSync()[0]));

    const trainable = specs.filter((s) => s.trainable);
    const grads = trainer.gradients();
    expect([...grads.keys()]).toEqual(trainable.map((s) => s.name));
    for (const s of trainable) {
      const ga = a.grads.get(s.name)!.dataSync() as Float32Array;
      const go = grads.get(s.name)!;
      expect(go.length, s.name).toBe(ga.length);
      // Switch/nearest: the same arithmetic up to summation order. Ratio divides by pooled maxima, which
      // amplifies float32 rounding (as between any two float32 implementations, see the runtime's
      // wasm-vs-cpu test), so there the whole gradient's direction is held instead of every element.
      if (unpool === 'ratio') expect(cosine(ga, go), s.name).toBeGreaterThan(0.999);
      else expect(relMaxDiff(ga, go), s.name).toBeLessThan(2e-3);
    }
    const state = await trainer.state();
    for (const s of specs.filter((p) => !p.trainable)) {
      const before = s.name.endsWith('.mean') ? 0 : 1;
      const ra = ref.params.get(s.name)!.dataSync() as Float32Array;
      const ro = state.get(s.name)!;
      // The step moved the running statistics off their initial values, the same way on both engines.
      expect(ra.some((v) => Math.abs(v - before) > 1e-4), s.name).toBe(true);
      expect(relMaxDiff(ra, ro), s.name).toBeLessThan(1e-4);
    }
    // Step size 0: the weights did not move.
    for (const s of trainable) expect(relMaxDiff(values.get(s.name)!, state.get(s.name)!), s.name).toBe(0);
    await trainer.release();
    tf.dispose([b.images, b.labels, weights, a.loss, ...a.grads.values()]);
  });

  test('three Adam steps: the engines take the same steps', async () => {
    const c = config(unpool, bayesian);
    const e = pair(c);
    const before = new Map(paramSpecs(c).map((s) => [s.name, Float32Array.from(e.ref.params.get(s.name)!.dataSync())]));
    const { losses, optimizers } = await stepBoth(c, e, { name: 'adam', lr: 1e-3 }, [1e-3, 1e-3, 5e-4], bayesian ? 77 : null);
    // Step 1 sees the same weights: its loss agrees as the gradient test's; later steps inherit the
    // float32 differences of the updates.
    losses[1].forEach((l, k) => expect(Math.abs(l - losses[0][k]), `step ${k + 1}`).toBeLessThan((k === 0 ? 1e-5 : 1e-3) * losses[0][k]));
    expect(optimizers.map((o) => o.t)).toEqual([3, 3]);
    for (const s of paramSpecs(c)) {
      const old = before.get(s.name)!;
      const da = (e.ref.params.get(s.name)!.dataSync() as Float32Array).map((v, i) => v - old[i]);
      const dor = (e.ort.params.get(s.name)!.dataSync() as Float32Array).map((v, i) => v - old[i]);
      expect(da.some((v) => v !== 0), s.name).toBe(true);
      // Adam's first steps are nearly sign(g) lr: an element whose gradient is within float noise of 0
      // may step the other way, so the update is held by direction.
      expect(cosine(da, dor), s.name).toBeGreaterThan(0.99);
    }
    const slots = optimizers.map((o) => new Map(o.state().map((t) => [t.name, t.tensor.dataSync() as Float32Array])));
    expect([...slots[1].keys()].sort()).toEqual([...slots[0].keys()].sort());
    for (const [name, v] of slots[0]) expect(cosine(v, slots[1].get(name)!), name).toBeGreaterThan(0.99);
  });

  test('inference: deterministic pass and MC-dropout mean', async () => {
    const c = config(unpool, bayesian);
    const e = pair(c);
    const { ref, ort, tfjs, onnx } = e;
    // Non-trivial running statistics: one step at step size 0 on each (checked equal above).
    await stepBoth(c, e, { name: 'sgd', lr: 1 }, [0], bayesian ? 7 : null);
    const b = batch(21);
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
    tf.dispose([b.images, b.labels]);
  });
});

describe.each([
  { name: 'adam', lr: 1e-3 },
  { name: 'adam', lr: 1e-2, weightDecay: 1e-3 },
  { name: 'sgd', lr: 1e-2, momentum: 0.9, weightDecay: 1e-4 },
] as const)('the graph optimizer against the tfjs Optimizer: %o', (opt) => {
  test('four updates from the same values and gradients agree to float32 rounding', async () => {
    const n = 257;
    const rand = (k: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(1 + i * 12.9898 + k * 78.233) * (i % 5 === 0 ? 1e-6 : 1));
    const p = tf.variable(tf.tensor1d(rand(0)));
    const optimizer = new Optimizer(opt);
    let graph: { param: Float32Array; slots: Float32Array[] } = { param: Float32Array.from(p.dataSync()), slots: Array.from({ length: opt.name === 'adam' ? 2 : 1 }, () => new Float32Array(n)) };
    const schedule = [opt.lr, opt.lr, opt.lr / 2, opt.lr / 4];
    for (const [k, lr] of schedule.entries()) {
      const g = rand(k + 1);
      const gt = tf.tensor1d(g);
      optimizer.apply(new Map([['p', p]]), new Map([['p', gt]]), lr);
      gt.dispose();
      graph = await runOptimizerUpdate(opt, { param: graph.param, grad: g, slots: graph.slots }, optimizerStepSize(opt, lr, k + 1));
    }
    const ref = p.dataSync() as Float32Array;
    expect(relMaxDiff(ref, graph.param)).toBeLessThan(1e-6);
    optimizer.state().forEach((s, i) => expect(relMaxDiff(s.tensor.dataSync() as Float32Array, graph.slots[i]), s.name).toBeLessThan(1e-6));
    // And the updates did something.
    expect(relMaxDiff(ref, rand(0))).toBeGreaterThan(1e-4);
    optimizer.dispose();
    p.dispose();
  });
});

test('engine auto: ONNX Runtime on the CPU backends, tfjs on accelerators', () => {
  expect(resolveEngine('auto', 'wasm')).toBe('onnxruntime');
  expect(resolveEngine('auto', 'cpu')).toBe('onnxruntime');
  expect(resolveEngine('auto', 'webgpu')).toBe('tfjs');
  expect(resolveEngine('auto', 'tensorflow')).toBe('tfjs');
  expect(resolveEngine('tfjs', 'wasm')).toBe('tfjs');
});

test('a Bayesian step without a dropout seed is refused, not silently run without dropout', async () => {
  const c = config('ratio', true);
  const { ort, onnx } = pair(c);
  const b = batch(31);
  const w = tf.ones([20]) as tf.Tensor1D;
  const optimizer = new Optimizer({ name: 'adam', lr: 1e-3 });
  const trainer = await onnx.trainer(ort, optimizer);
  await expect(trainer.step(b, w, null, 1e-3)).rejects.toThrow(/dropout seed/);
  await trainer.dispose();
  optimizer.dispose();
  tf.dispose([b.images, b.labels, w]);
});

describe('--ep webgpu (lavapipe without a GPU; see packages/onnx/test/webgpu_ep.test.ts for the numerics)', () => {
  test('a step and a prediction report their placement: every node on webgpu, none on the CPU EP, the adapter and the host bytes', async () => {
    const c = config('switch', true);
    const model = createSegNet(c, 3);
    models.push(model);
    const engine = createEngine('onnxruntime', c, { threads: 1, ep: 'webgpu' });
    engines.push(engine);
    expect(engine.info.executionProvider).toBe('webgpu');
    const trainer = await engine.trainer(model, new Optimizer({ name: 'adam', lr: 1e-3 }));
    const b = batch(3);
    const w = tf.ones([20]) as tf.Tensor1D;
    const loss = await trainer.step(b, w, 9, 1e-3);
    expect(Number.isFinite(loss.dataSync()[0])).toBe(true);
    await trainer.sync();
    await trainer.dispose();
    const predictor = await engine.predictor(model);
    (await predictor.probs(b.images, { mcSamples: 1 })).dispose();
    await predictor.release();
    const p = engine.placement!()!;
    expect(p.executionProvider).toBe('webgpu');
    expect(p.nodes.train.cpu).toBe(0);
    expect(p.nodes.train.webgpu).toBeGreaterThan(100);
    expect(p.nodes.inference.cpu).toBe(0);
    expect(p.nodes.inference.webgpu).toBeGreaterThan(10);
    expect(p.adapter, 'the Vulkan adapter Dawn reports (lavapipe here)').toMatch(/\w/);
    // At least the images and labels (the exact count, state left on the device, is held in packages/onnx).
    expect(p.hostBytesPerStep!).toBeGreaterThan(N * H * W * (3 * 4 + 4));
    tf.dispose([b.images, b.labels, w, loss]);
  });

  test('an unknown execution provider is named', () => {
    expect(() => createEngine('onnxruntime', config('ratio', false), { ep: 'tpu' })).toThrow(/--ep: unknown execution provider 'tpu'/);
  });
});

test('--engine auto: the WebGPU EP on a hardware adapter, the CPU EP on a software one or none', () => {
  expect(autoExecutionProvider('NVIDIA H200 (nvidia hopper)')).toBe('webgpu');
  expect(autoExecutionProvider('llvmpipe: Mesa 25.0.7 (LLVM 15.0.6) (mesa software)')).toBe('cpu');
  expect(autoExecutionProvider('SwiftShader Device (Subzero)')).toBe('cpu');
  expect(autoExecutionProvider(null)).toBe('cpu');
});
