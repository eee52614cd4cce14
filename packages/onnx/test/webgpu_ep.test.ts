import { describe, expect, test } from 'vitest';
import { optimizerStepSize, paramSpecs, segnetConfig, UNPOOL_MODES, type SegNetConfig, type UnpoolMode } from '@unpool/models';
import { relMaxDiff } from '@unpool/models/testing';
import { existsSync } from 'node:fs';
import { assertExecutionProvider, cudaProviderPath, explainSessionError, OrtSegNet, poolLowering, type ExecutionProvider, type OrtTrainer } from '../src/index.js';

/**
 * The WebGPU execution provider (Mesa's lavapipe Vulkan without a GPU) against the CPU EP: the same plan,
 * lowered with window masks instead of MaxPool Indices / MaxUnpool, must run with zero CPU-EP nodes (the
 * sessions refuse any fallback) and give the CPU EP's loss, new weights, optimizer slots and BN statistics,
 * and the same predictions, for every unpooling mode, Bayesian included. Tiny shapes: session creation on
 * lavapipe compiles shaders for seconds per graph.
 */

const N = 2;
const H = 8;
const W = 16;

function config(unpool: UnpoolMode, bayesian: boolean): SegNetConfig {
  return segnetConfig({ preset: 'mini', widths: [4, 8], convsPerBlock: [1, 1], unpool, bayesian, dropout: 0.5 });
}

/** A fixed pseudo-random sequence (no engine RNG: the two sides must see identical inputs). */
function values(n: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return ((s / 2 ** 32) * 2 - 1) * scale;
  });
}

function initialState(c: SegNetConfig): (name: string) => Float32Array | undefined {
  const sizes = new Map(paramSpecs(c).map((s) => [s.name, s.shape.reduce((a, b) => a * b, 1)]));
  return (name) => {
    const base = name.includes('#') ? name.slice(0, name.lastIndexOf('#')) : name;
    const n = sizes.get(base);
    if (n === undefined) return undefined;
    if (name.includes('#')) return new Float32Array(n);
    if (name.endsWith('.gamma') || name.endsWith('.variance')) return new Float32Array(n).fill(1);
    if (name.endsWith('.beta') || name.endsWith('.mean')) return new Float32Array(n);
    return values(n, name.length * 7919 + n, 0.5);
  };
}

function batchInput(c: SegNetConfig, trainer: OrtTrainer, seed: number) {
  const labels = Int32Array.from(values(N * H * W, seed + 1), (v) => (v > 0.9 ? 255 : Math.floor((v + 1) * 10) % c.classes));
  // Masks of 0 and 2 (rate 0.5, scaled) at each site's resolution.
  const masks = new Map(trainer.masks.map((m) => [m.mask, Float32Array.from(values((N * H * W * m.channels) / m.scale ** 2, seed + m.scale), (v) => (v > 0 ? 2 : 0))]));
  return {
    images: values(N * H * W * 3, seed),
    labels,
    batch: N,
    height: H,
    width: W,
    classWeights: Float32Array.from({ length: c.classes }, (_, i) => 1 + (i % 3) * 0.25),
    lr: optimizerStepSize({ name: 'adam' }, 1e-3, 1),
    masks: masks.size ? masks : undefined,
  };
}

async function trainOnce(c: SegNetConfig, ep: ExecutionProvider) {
  const engine = new OrtSegNet(c, { ep, threads: 1 });
  const trainer = await engine.trainer({ name: 'adam' }, initialState(c));
  const losses = [await trainer.step(batchInput(c, trainer, 11))];
  const second = batchInput(c, trainer, 23);
  losses.push(await trainer.step(second));
  if (ep === 'webgpu') {
    // After the first step the weights, slots and statistics stay on the device: only the batch, class
    // weights, step size, masks and the loss cross.
    const masks = [...(second.masks?.values() ?? [])].reduce((s, m) => s + m.byteLength, 0);
    const batchBytes = second.images.byteLength + second.labels.byteLength + second.classWeights.byteLength + 4 + masks;
    expect(trainer.hostBytes).toBe(batchBytes + 4);
  }
  const state = await trainer.state();
  await trainer.release();
  const predictor = engine.predictor(new Map([...state].filter(([k]) => !k.includes('#'))));
  const input = batchInput(c, trainer, 37);
  const probs = await predictor.probs(input.images, N, H, W, input.masks);
  await predictor.release();
  return { losses, state, probs };
}

describe('ORT WebGPU EP (zero CPU-EP nodes) equals the CPU EP', () => {
  const variants = [...UNPOOL_MODES.map((m) => [m, false] as const), ['switch', true] as const, ['ratio', true] as const];
  test.each(variants)('%s (bayesian %s): two Adam steps and a prediction', async (unpool, bayesian) => {
    const c = config(unpool, bayesian);
    const cpu = await trainOnce(c, 'cpu');
    const gpu = await trainOnce(c, 'webgpu');
    for (let i = 0; i < 2; i++) expect(Math.abs(gpu.losses[i] - cpu.losses[i]) / Math.abs(cpu.losses[i])).toBeLessThan(1e-4);
    for (const [name, v] of cpu.state) {
      // Adam's first steps move every weight by ~lr whatever the gradient's size: compare the update itself.
      expect(relMaxDiff(v, gpu.state.get(name)!), name).toBeLessThan(2e-3);
    }
    expect(relMaxDiff(cpu.probs, gpu.probs)).toBeLessThan(1e-4);
  });
});

describe('execution provider detection', () => {
  test('--ep cuda without the CUDA providers is a clear error naming the missing library', () => {
    const missing = '/nonexistent/libonnxruntime_providers_cuda.so';
    expect(() => assertExecutionProvider('cuda', missing)).toThrow(/CUDA 12 providers are not installed \(no \/nonexistent\/libonnxruntime_providers_cuda\.so\).*ONNXRUNTIME_NODE_INSTALL=cuda12/);
    expect(() => assertExecutionProvider('webgpu', missing)).not.toThrow();
  });

  test('this installation: OrtSegNet on cuda fails at construction exactly when the provider library is absent', () => {
    const make = () => new OrtSegNet(config('ratio', false), { ep: 'cuda' });
    if (existsSync(cudaProviderPath())) expect(make).not.toThrow();
    else expect(make).toThrow(/not installed/);
  });

  test('a missing Vulkan device and a CPU-EP node are explained (ORT says neither in words a user can act on)', () => {
    const noAdapter = new Error('webgpu_context.cc:136 ... Failed to get a WebGPU adapter: No supported adapters');
    expect(explainSessionError('webgpu', noAdapter).message).toMatch(/no usable Vulkan adapter.*scripts\/setup\.sh --test.*mesa-vulkan-drivers and libvulkan1/);
    const fallback = new Error('This session contains graph nodes that are assigned to the default CPU EP, but fallback to CPU EP has been explicitly disabled by the user.');
    expect(explainSessionError('webgpu', fallback).message).toMatch(/nodes webgpu cannot run/);
    expect(explainSessionError('cpu', noAdapter)).toBe(noAdapter);
  });

  test('the CPU EP keeps MaxPool Indices; the GPU EPs get the window masks', () => {
    expect(poolLowering('cpu')).toBe('indices');
    expect(poolLowering('webgpu')).toBe('windows');
    expect(poolLowering('cuda')).toBe('windows');
  });
});
