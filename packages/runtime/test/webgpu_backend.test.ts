import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { backendInfo, selectBackend, webgpuDetails } from '../src/index.js';
import { webgpuAdapterChoice } from '../src/webgpu_adapter.js';
import { randomValues, size } from './helpers.js';

describe('UNPOOL_WEBGPU_ADAPTER', () => {
  it('defaults to auto and accepts the three choices in any case', () => {
    expect(webgpuAdapterChoice({})).toBe('auto');
    expect(webgpuAdapterChoice({ UNPOOL_WEBGPU_ADAPTER: '' })).toBe('auto');
    expect(webgpuAdapterChoice({ UNPOOL_WEBGPU_ADAPTER: 'Vulkan' })).toBe('vulkan');
    expect(webgpuAdapterChoice({ UNPOOL_WEBGPU_ADAPTER: ' llvmpipe ' })).toBe('llvmpipe');
  });

  it('rejects anything else, naming the variable, the value and the choices', () => {
    expect(() => webgpuAdapterChoice({ UNPOOL_WEBGPU_ADAPTER: 'cuda' })).toThrow(
      "UNPOOL_WEBGPU_ADAPTER: 'cuda' is not one of auto, vulkan, llvmpipe",
    );
  });
});

/** Values with a unique maximum in every 2x2 window: what the switch computation feeds the kernel. */
function uniqueMaxima(shape: [number, number, number, number], seed: number): Float32Array {
  const n = size(shape);
  const order = randomValues(n, seed);
  // A permutation of 1..n (all distinct, all positive), laid out in random order.
  const ranks = Array.from(order.keys()).sort((a, b) => order[a] - order[b]);
  const values = new Float32Array(n);
  ranks.forEach((at, r) => {
    values[at] = r + 1;
  });
  return values;
}

describe('webgpu backend (llvmpipe without a GPU)', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
    expect(await selectBackend('webgpu')).toBe('webgpu');
  });

  it('records the adapter and the replaced kernel for the run provenance', () => {
    const d = webgpuDetails()!;
    expect(d.version).toBe(tf.version_core);
    expect(['default', 'opengles']).toContain(d.dawnBackend);
    expect(Object.keys(d.adapter).length).toBeGreaterThan(0);
    expect(backendInfo().replacedKernels).toContain('Conv2DBackpropFilter');
  });

  it('computes a small conv forward and backward like the cpu backend', async () => {
    const run = async () => {
      const x = tf.tensor4d(randomValues(2 * 6 * 8 * 3, 5), [2, 6, 8, 3]);
      const w = tf.tensor4d(randomValues(3 * 3 * 3 * 4, 6), [3, 3, 3, 4]);
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.relu(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')).sum())([x, w]);
      const out = [await dx.data(), await dw.data()] as Float32Array[];
      tf.dispose([x, w, dx, dw]);
      return out;
    };
    await tf.setBackend('cpu');
    const ref = await run();
    await tf.setBackend('webgpu');
    const got = await run();
    for (let i = 0; i < 2; i++) {
      const scale = Math.max(...ref[i].map(Math.abs));
      const diff = Math.max(...got[i].map((v, j) => Math.abs(v - ref[i][j])));
      expect(diff / scale).toBeLessThan(1e-4);
    }
  });

  it('has the MaxPoolWithArgmax that switch unpooling uses off cpu/wasm: batch-flattened NHWC indices', async () => {
    const shape: [number, number, number, number] = [2, 4, 6, 3];
    const values = uniqueMaxima(shape, 11);
    const run = async () => {
      const x = tf.tensor4d(values, shape);
      const { result, indexes } = tf.maxPoolWithArgmax(x, 2, 2, 'valid', true);
      const out = { pooled: await result.data(), indexes: await indexes.data() };
      tf.dispose([x, result, indexes]);
      return out;
    };
    await tf.setBackend('cpu');
    const ref = await run();
    await tf.setBackend('webgpu');
    const got = await run();
    expect(Array.from(got.indexes)).toEqual(Array.from(ref.indexes));
    expect(Array.from(got.pooled)).toEqual(Array.from(ref.pooled));
    // The second batch element's indices must include the batch offset.
    expect(Math.min(...Array.from(got.indexes).slice(got.indexes.length / 2))).toBeGreaterThanOrEqual(size(shape) / 2);
  });

  it('fails synchronous reads, which is why the training path must read with data()', () => {
    // Computed on the GPU: a tensor made from JS values still has its CPU copy, and tfjs-webgpu hands
    // ops on small CPU-resident inputs to the cpu backend.
    const t = tf.tidy(() => tf.conv2d(tf.ones([1, 16, 16, 8]) as tf.Tensor4D, tf.ones([3, 3, 8, 8]) as tf.Tensor4D, 1, 'same'));
    try {
      expect(() => t.dataSync()).toThrow(/OffscreenCanvas/);
    } finally {
      t.dispose();
    }
  });
});
