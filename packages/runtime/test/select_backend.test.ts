import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { backendInfo, BACKEND_NAMES, detectTensorflowNode, selectBackend, type BackendName } from '../src/index.js';

describe('selectBackend', () => {
  it('rejects an unknown name, listing the valid ones', async () => {
    await expect(selectBackend('gpu' as BackendName)).rejects.toThrow(
      /unknown backend 'gpu' \(expected one of auto, wasm, cpu, webgpu, tensorflow\)/,
    );
  });

  it("'tensorflow' without tfjs-node says how to install it", async () => {
    const err = await selectBackend('tensorflow').then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(Error);
    for (const needle of [
      '@tensorflow/tfjs-node-gpu',
      '@tensorflow/tfjs-node@4.22.0',
      'CUDA 11.8',
      'cuDNN 8.6',
      'Linux x64',
      'downloads libtensorflow',
      'not installed',
    ]) {
      expect(err!.message).toContain(needle);
    }
  });

  it('detectTensorflowNode reports unavailable here, with a reason per package', async () => {
    const status = await detectTensorflowNode();
    expect(status.available).toBe(false);
    expect(status.package).toBeUndefined();
    expect(status.reason).toMatch(/@tensorflow\/tfjs-node-gpu: not installed; @tensorflow\/tfjs-node: not installed/);
  });

  it("'webgpu' starts (on Mesa's llvmpipe without a GPU; see webgpu_backend.test.ts)", async () => {
    expect(await selectBackend('webgpu')).toBe('webgpu');
    expect(backendInfo().replacedKernels).toEqual(['Conv2DBackpropFilter', 'UnpoolAdamUpdate']);
  });

  it("'auto' falls back to wasm and reports provenance", async () => {
    expect(await selectBackend('auto')).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const info = backendInfo();
    expect(info.name).toBe('wasm');
    expect(info.threads).toBeGreaterThanOrEqual(1);
    expect(typeof info.simd).toBe('boolean');
    expect(info.replacedKernels.sort()).toEqual([
      'Conv2DBackpropFilter',
      'Conv2DBackpropInput',
      'MaxPoolGrad',
      'MaxPoolWithArgmax',
      'ResizeNearestNeighborGrad',
    ]);
    expect(info.versions.tfjs).toBe(tf.version.tfjs);
    expect(info.versions['tfjs-backend-wasm']).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.versions.node).toBe(process.versions.node);
  });

  it("'cpu' switches backend and replaces the weight-gradient and resize-gradient kernels", async () => {
    expect(await selectBackend('cpu')).toBe('cpu');
    const info = backendInfo();
    expect(info.name).toBe('cpu');
    expect(info.threads).toBeUndefined();
    expect(info.replacedKernels.sort()).toEqual(['Conv2DBackpropFilter', 'MaxPoolWithArgmax', 'ResizeNearestNeighborGrad']);
  });

  it('every advertised name is handled (resolves or throws a named error)', async () => {
    for (const name of BACKEND_NAMES) {
      const outcome = await selectBackend(name).then(
        (active) => active,
        (e: Error) => e.message,
      );
      expect(outcome).toMatch(/^(wasm|cpu|webgpu)$|selectBackend: backend 'tensorflow'/);
    }
  });
});
