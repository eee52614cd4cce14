/**
 * Loader for the WebGPU backend (Dawn through the `webgpu` package). Not written yet: it fails with a
 * clear message until the GPU work lands here, without touching the other loaders.
 */
export async function loadWebgpuBackend(): Promise<void> {
  throw new Error(
    "selectBackend: backend 'webgpu' is not available on this machine yet " +
      "(@unpool/runtime has no WebGPU loader so far); use 'wasm' (default on CPU) or 'cpu'",
  );
}
