import * as tf from '@tensorflow/tfjs';
import { replacedKernels } from './replace_kernel.js';
import { tensorflowNodeDetails } from './tensorflow_backend.js';
import { wasmDetails } from './wasm_backend.js';
import { webgpuDetails, type WebgpuDetails } from './webgpu_backend.js';

export interface BackendInfo {
  /** The active tfjs backend ('wasm', 'cpu', 'tensorflow', ...), or 'none' before any is set. */
  name: string;
  /** wasm only: XNNPACK threads. */
  threads?: number;
  /** wasm only: whether the SIMD binary is in use. */
  simd?: boolean;
  /** webgpu only: the adapter Dawn gave (Vulkan GPU or the llvmpipe fallback) and the kernel set. */
  webgpu?: WebgpuDetails;
  /** Kernels of the active backend that @unpool/runtime replaced (results depend on them). */
  replacedKernels: string[];
  /** tfjs package versions, the wasm/tfjs-node package version when loaded, and Node's. */
  versions: Record<string, string>;
}

/** What a run records about its compute backend. */
export function backendInfo(): BackendInfo {
  const name = (tf.engine().backendName as string | null) ?? 'none';
  const versions: Record<string, string> = { ...tf.version, node: process.versions.node };
  const wasm = wasmDetails();
  if (wasm !== undefined) versions['tfjs-backend-wasm'] = wasm.version;
  const tfNode = tensorflowNodeDetails();
  if (tfNode?.version !== undefined) versions[tfNode.package.replace('@tensorflow/', '')] = tfNode.version;
  return {
    name,
    ...(name === 'wasm' && wasm?.threads !== undefined ? { threads: wasm.threads } : {}),
    ...(name === 'wasm' && wasm?.simd !== undefined ? { simd: wasm.simd } : {}),
    ...(name === 'webgpu' && webgpuDetails() !== undefined ? { webgpu: webgpuDetails() } : {}),
    replacedKernels: replacedKernels(name),
    versions,
  };
}
