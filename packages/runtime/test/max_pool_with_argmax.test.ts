import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { selectBackend } from '../src/index.js';

// The cpu backend's own kernel is the reference: captured before selectBackend('cpu') replaces it.
const stockCpu = tf.getKernel('MaxPoolWithArgmax', 'cpu')!;

/** ReLU-like values with dead (all-zero) windows, all-negative windows and ties. */
function awkward(shape: [number, number, number, number]): Float32Array {
  const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < v.length; i++) {
    const r = Math.sin(i * 12.9898) * 43758.5453;
    const u = r - Math.floor(r);
    v[i] = u < 0.4 ? 0 : u < 0.55 ? -u : u < 0.7 ? 0.5 : u;
  }
  return v;
}

it.each([true, false])('wasm MaxPoolWithArgmax matches the cpu kernel (includeBatchInIndex %s), dead and tied windows included', async (withBatch) => {
  const shape: [number, number, number, number] = [2, 6, 8, 5];
  const values = awkward(shape);
  const run = async (backend: 'cpu' | 'wasm') => {
    await selectBackend(backend);
    if (backend === 'cpu') {
      const x = tf.tensor4d(values, shape);
      const [r, i] = stockCpu.kernelFunc({ inputs: { x }, backend: tf.backend(), attrs: { filterSize: 2, strides: 2, pad: 'valid', includeBatchInIndex: withBatch } }) as tf.TensorInfo[];
      const read = (t: tf.TensorInfo) => Array.from(tf.backend().readSync(t.dataId) as Float32Array | Int32Array);
      const out = { result: read(r), indexes: read(i) };
      tf.backend().disposeData(r.dataId);
      tf.backend().disposeData(i.dataId);
      x.dispose();
      return out;
    }
    const x = tf.tensor4d(values, shape);
    const { result, indexes } = tf.maxPoolWithArgmax(x, 2, 2, 'valid', withBatch);
    const out = { result: Array.from(await result.data()), indexes: Array.from(await indexes.data()) };
    tf.dispose([x, result, indexes]);
    return out;
  };
  const cpu = await run('cpu');
  const wasm = await run('wasm');
  expect(wasm.indexes).toEqual(cpu.indexes);
  expect(wasm.result).toEqual(cpu.result);
  // The inputs really contain windows whose maximum is <= 0, where the stock wasm kernel fails.
  expect(cpu.result.some((v) => v <= 0)).toBe(true);
});

it('a window holding NaN still gets an index inside the window (the stock cpu kernel gives -1)', async () => {
  await selectBackend('cpu');
  const x = tf.tensor4d([NaN, NaN, NaN, NaN, 1, 2, 3, 4], [1, 2, 4, 1]);
  const { indexes } = tf.maxPoolWithArgmax(x, 2, 2, 'valid', true);
  const idx = Array.from(await indexes.data());
  expect(idx[0]).toBeGreaterThanOrEqual(0);
  expect([0, 1, 4, 5]).toContain(idx[0]);
  expect([2, 3, 6, 7]).toContain(idx[1]);
  tf.dispose([x, indexes]);
});
