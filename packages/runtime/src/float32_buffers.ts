import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * Runs a JS loop on the raw float32 buffers of a backend whose data lives in JS-reachable memory
 * (wasm heap views, cpu arrays): no copies in or out. `fn` gets the inputs and a zeroed output of
 * `outShape`; the output is returned as the kernel's result.
 */
export function withFloat32Buffers(
  kernelName: string,
  backendName: string,
  backend: tf.KernelBackend,
  inputs: tf.TensorInfo[],
  outShape: number[],
  fn: (inputs: Float32Array[], out: Float32Array) => void,
): tf.TensorInfo {
  for (const t of inputs) {
    if (t.dtype !== 'float32') throw new Error(`${kernelName}: only float32 is supported, got ${t.dtype}`);
  }
  if (backendName === 'wasm') {
    const b = backend as BackendWasm;
    // Allocate first: allocation may grow the wasm memory, which detaches heap views taken before it.
    const out = b.makeOutput(outShape, 'float32');
    const views = inputs.map((t) => b.typedArrayFromHeap(t) as Float32Array);
    const outView = b.typedArrayFromHeap(out) as Float32Array;
    outView.fill(0);
    fn(views, outView);
    return out;
  }
  if (backendName === 'cpu') {
    const views = inputs.map((t) => backend.readSync(t.dataId) as Float32Array);
    const values = new Float32Array(outShape.reduce((a, d) => a * d, 1));
    fn(views, values);
    return { dataId: backend.write(values, outShape, 'float32'), shape: outShape, dtype: 'float32' };
  }
  throw new Error(`${kernelName}: no direct buffer access on backend '${backendName}' (wasm and cpu only)`);
}
