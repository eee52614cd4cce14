import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADAM_KERNEL, backendInfo, fusedAdamUpdate, hasFusedAdam, selectBackend } from '../src/index.js';
import { randomValues, relativeError, size } from './helpers.js';

const ATTRS = { lr: 3e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

/** Adam as tfjs ops (the optimizer's unfused path), on whatever backend is active. */
function composed(p: tf.Tensor, m: tf.Tensor, v: tf.Tensor, g: tf.Tensor) {
  return tf.tidy(() => {
    const m2 = tf.add(tf.mul(m, ATTRS.beta1), tf.mul(g, 1 - ATTRS.beta1));
    const v2 = tf.add(tf.mul(v, ATTRS.beta2), tf.mul(tf.square(g), 1 - ATTRS.beta2));
    const p2 = tf.sub(p, tf.mul(tf.div(m2, tf.add(tf.sqrt(v2), ATTRS.epsilon)), ATTRS.lr));
    return { p: p2, m: m2, v: v2 };
  });
}

/** Three Adam steps from the same start and gradients; returns the final p, m, v values. */
async function threeSteps(shape: number[], seed: number, update: typeof composed): Promise<Float32Array[]> {
  let p = tf.tensor(randomValues(size(shape), seed), shape);
  let m = tf.zeros(shape);
  let v = tf.zeros(shape);
  for (let step = 0; step < 3; step++) {
    const g = tf.tensor(randomValues(size(shape), seed + 1 + step), shape);
    const next = update(p, m, v, g);
    tf.dispose([p, m, v, g]);
    ({ p, m, v } = next);
  }
  const out = await Promise.all([p, m, v].map(async (t) => (await t.data()) as Float32Array));
  tf.dispose([p, m, v]);
  return out;
}

describe('fused Adam update on webgpu (llvmpipe without a GPU)', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
    await selectBackend('webgpu');
  });

  it('is registered with the fast kernels, and only on webgpu', async () => {
    expect(hasFusedAdam()).toBe(true);
    expect(backendInfo().replacedKernels).toContain(ADAM_KERNEL);
    await tf.setBackend('cpu');
    expect(hasFusedAdam()).toBe(false);
    await tf.setBackend('webgpu');
  });

  // A conv kernel whose size is not a multiple of the 64-thread workgroup, and a small vector.
  it.each([[[3, 3, 5, 7]], [[20]]])('matches Adam as tfjs ops on the cpu backend: shape %j', async (shape) => {
    await tf.setBackend('cpu');
    const ref = await threeSteps(shape, 11, composed);
    await tf.setBackend('webgpu');
    const got = await threeSteps(shape, 11, (p, m, v, g) => fusedAdamUpdate(p, m, v, g, ATTRS));
    for (let i = 0; i < 3; i++) {
      expect(got[i].some((x) => x !== 0)).toBe(true);
      expect(relativeError(got[i], ref[i]), ['p', 'm', 'v'][i]).toBeLessThan(1e-5);
    }
  });

  it('is one kernel where the ops are twelve, and leaves no buffers behind', async () => {
    const shape = [4, 16];
    const t = () => tf.tensor(randomValues(64, 5), shape);
    const [p, m, v, g] = [t(), t(), tf.abs(t()), t()];
    // tf.profile hands back the engine's one profile object, so read each before the next profile.
    const fused = (await tf.profile(() => {
      const r = fusedAdamUpdate(p, m, v, g, ATTRS);
      tf.dispose([r.p, r.m, r.v]);
    })).kernels.map((k) => k.name);
    const ops = (await tf.profile(() => {
      const r = composed(p, m, v, g);
      tf.dispose([r.p, r.m, r.v]);
    })).kernels.map((k) => k.name);
    expect(fused).toEqual([ADAM_KERNEL]);
    expect(ops.length).toBe(12);
    const before = tf.engine().backend.numDataIds();
    const r = fusedAdamUpdate(p, m, v, g, ATTRS);
    tf.dispose([r.p, r.m, r.v]);
    expect(tf.engine().backend.numDataIds()).toBe(before);
    tf.dispose([p, m, v, g]);
  });

  it('names a mismatched slot', () => {
    const p = tf.zeros([4]);
    const m = tf.zeros([5]);
    expect(() => fusedAdamUpdate(p, m, p, p, ATTRS)).toThrow(/'m' is float32 \[5\], the parameter float32 \[4\]/);
    tf.dispose([p, m]);
  });
});
