import * as tf from '@tensorflow/tfjs';
import { expect, test } from 'vitest';
import { hasFusedAdam, selectBackend } from '@unpool/runtime';
import { Optimizer } from '../src/index.js';

/** Three Adam steps on two parameters from fixed values and gradients; final parameter values. */
async function adamSteps(): Promise<Float32Array[]> {
  const params = new Map([
    ['a', tf.variable(tf.linspace(-1, 1, 35).reshape([5, 7]))],
    ['b', tf.variable(tf.linspace(0.5, 2, 20))],
  ]);
  const opt = new Optimizer({ name: 'adam', lr: 1e-2 });
  for (let step = 1; step <= 3; step++) {
    // Gradients made on the host, so both backends see the same bits (a device sin would differ).
    const grads = new Map([...params].map(([k, p]) => [k, tf.tensor(Float32Array.from({ length: p.size }, (_, j) => Math.sin(j * 0.7 + step) * 0.1), p.shape)] as const));
    opt.apply(params, grads, 1e-2);
    tf.dispose([...grads.values()]);
  }
  const out = await Promise.all([...params.values()].map(async (p) => (await p.data()) as Float32Array));
  params.forEach((p) => p.dispose());
  opt.dispose();
  return out;
}

test('Adam on webgpu (the fused kernel, llvmpipe without a GPU) takes the steps Adam as tfjs ops takes on cpu', async () => {
  await selectBackend('cpu');
  expect(hasFusedAdam()).toBe(false);
  const ref = await adamSteps();
  await selectBackend('webgpu');
  expect(hasFusedAdam()).toBe(true);
  const got = await adamSteps();
  for (let i = 0; i < ref.length; i++) {
    const scale = Math.max(...ref[i].map(Math.abs));
    const diff = Math.max(...got[i].map((x, j) => Math.abs(x - ref[i][j])));
    // The parameters moved (three steps of ~lr each), identically up to float32 rounding.
    expect(Math.max(...got[i].map((x, j) => Math.abs(x - (i === 0 ? -1 + (2 * j) / 34 : 0.5 + (1.5 * j) / 19))))).toBeGreaterThan(1e-2);
    expect(diff / scale).toBeLessThan(1e-5);
  }
});
