import * as tf from '@tensorflow/tfjs';
import { loadCpuBackend } from './cpu_backend.js';
import { silenceNodeBanner } from './node_banner.js';
import { detectTensorflowNode, loadTensorflowBackend } from './tensorflow_backend.js';
import { loadWasmBackend } from './wasm_backend.js';
import { loadWebgpuBackend } from './webgpu_backend.js';

/** The backends a run can ask for; `auto` picks `tensorflow` when tfjs-node loads, else `wasm`. */
export type BackendName = 'auto' | 'wasm' | 'cpu' | 'webgpu' | 'tensorflow';
export const BACKEND_NAMES: readonly BackendName[] = ['auto', 'wasm', 'cpu', 'webgpu', 'tensorflow'];

type ConcreteBackend = Exclude<BackendName, 'auto'>;

/**
 * Per backend: make `tf.setBackend(name)` possible and correct for training (import the package,
 * register replacement kernels). A new backend is one entry here plus its own `<name>_backend.ts`.
 */
const LOADERS: Record<ConcreteBackend, () => Promise<void>> = {
  wasm: loadWasmBackend,
  cpu: loadCpuBackend,
  webgpu: loadWebgpuBackend,
  tensorflow: loadTensorflowBackend,
};

async function resolveAuto(): Promise<ConcreteBackend> {
  return (await detectTensorflowNode()).available ? 'tensorflow' : 'wasm';
}

/**
 * Makes `name` the active TensorFlow.js backend and returns the name actually in use.
 * Call it before creating the first tensor (tensors made on another backend are moved lazily).
 */
export async function selectBackend(name: BackendName = 'auto'): Promise<string> {
  if (!BACKEND_NAMES.includes(name)) {
    throw new Error(`selectBackend: unknown backend '${String(name)}' (expected one of ${BACKEND_NAMES.join(', ')})`);
  }
  const wanted = name === 'auto' ? await resolveAuto() : name;
  await LOADERS[wanted]();
  silenceNodeBanner();
  const ok = await tf.setBackend(wanted);
  if (!ok) throw new Error(`selectBackend: backend '${wanted}' failed to initialise`);
  await tf.ready();
  return tf.getBackend();
}
