import * as tf from '@tensorflow/tfjs';

/**
 * Runs `kernelName` as registered for `backendName` directly on the backend instance.
 *
 * Replacement kernels are built from the backend's own kernels (XNNPACK `Conv2D` on wasm). Calling the
 * kernel function directly, instead of `tf.engine().runKernel`, keeps the intermediates as raw backend
 * buffers: no engine tensors, no tape entries, no copies to JS. The caller owns the result and must
 * release intermediates with `releaseIntermediate`.
 */
export function runBackendKernel(
  kernelName: string,
  backendName: string,
  backend: tf.KernelBackend,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap = {},
): tf.TensorInfo {
  const kernel = tf.getKernel(kernelName, backendName);
  if (kernel === undefined) {
    throw new Error(`runBackendKernel: kernel '${kernelName}' is not registered for backend '${backendName}'`);
  }
  const out = kernel.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(out)) {
    throw new Error(`runBackendKernel: kernel '${kernelName}' on '${backendName}' returned ${out.length} outputs, expected 1`);
  }
  return out;
}

/** Frees a buffer made by `runBackendKernel` that is not handed back to the engine. */
export function releaseIntermediate(backend: tf.KernelBackend, info: tf.TensorInfo): void {
  backend.disposeData(info.dataId);
}
