import * as tf from '@tensorflow/tfjs';

/** The backends a run can ask for; `auto` picks the fastest one that initialises here. */
export type BackendName = 'auto' | 'wasm' | 'cpu' | 'webgpu' | 'tensorflow';
export const BACKEND_NAMES: readonly BackendName[] = ['auto', 'wasm', 'cpu', 'webgpu', 'tensorflow'];

let wasmLoaded: Promise<void> | undefined;

async function loadWasm(): Promise<void> {
  // Imported lazily: the wasm package raises its own priority on import, and a run that asked for
  // `cpu` must not pay for (or be switched to) it.
  wasmLoaded ??= import('@tensorflow/tfjs-backend-wasm').then(() => undefined);
  await wasmLoaded;
}

/**
 * Makes `name` the active TensorFlow.js backend and returns the name actually in use.
 * Call it before creating the first tensor.
 */
export async function selectBackend(name: BackendName = 'auto'): Promise<string> {
  if (!BACKEND_NAMES.includes(name)) {
    throw new Error(`selectBackend: unknown backend '${String(name)}' (expected one of ${BACKEND_NAMES.join(', ')})`);
  }
  const wanted = name === 'auto' ? 'wasm' : name;
  if (wanted === 'wasm') await loadWasm();
  if (wanted === 'webgpu' || wanted === 'tensorflow') {
    throw new Error(`selectBackend: backend '${wanted}' is not available on this machine yet`);
  }
  const ok = await tf.setBackend(wanted);
  if (!ok) throw new Error(`selectBackend: backend '${wanted}' failed to initialise`);
  await tf.ready();
  return tf.getBackend();
}
