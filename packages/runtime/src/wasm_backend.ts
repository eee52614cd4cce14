import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterKernel } from './conv2d_backprop_filter.js';
import { conv2dBackpropInputKernel } from './conv2d_backprop_input.js';
import { maxPoolGradKernel } from './max_pool_grad.js';
import { maxPoolWithArgmaxKernel } from './max_pool_with_argmax.js';
import { replaceKernel } from './replace_kernel.js';
import { resizeNearestNeighborGradKernel } from './resize_nearest_neighbor_grad.js';

type WasmModule = typeof import('@tensorflow/tfjs-backend-wasm');

let importing: Promise<WasmModule> | undefined;
let wasmModule: WasmModule | undefined;

/**
 * Makes the wasm backend able to train: imports it and registers the replacement kernels (missing,
 * slow or wrong stock ones; see each kernel's file).
 * Imported lazily because the package raises its own priority on import, and a run that asked
 * for `cpu` must not pay for (or be switched to) it.
 */
export async function loadWasmBackend(): Promise<void> {
  importing ??= import('@tensorflow/tfjs-backend-wasm');
  wasmModule = await importing;
  replaceKernel(conv2dBackpropFilterKernel('wasm'));
  replaceKernel(conv2dBackpropInputKernel('wasm'));
  replaceKernel(maxPoolGradKernel('wasm'));
  replaceKernel(maxPoolWithArgmaxKernel('wasm'));
  replaceKernel(resizeNearestNeighborGradKernel('wasm'));
}

export interface WasmDetails {
  version: string;
  /** XNNPACK's thread count; known once the backend has initialised. */
  threads?: number;
  /** Whether the SIMD binary could be used; known once the backend has initialised. */
  simd?: boolean;
}

/** Provenance of the wasm backend, or undefined when it was never loaded. */
export function wasmDetails(): WasmDetails | undefined {
  if (wasmModule === undefined) return undefined;
  const threads = wasmModule.getThreadsCount();
  // The flag is async; `features` holds its value only once initialisation has awaited it.
  const simd = tf.env().features['WASM_HAS_SIMD_SUPPORT'];
  return {
    version: wasmModule.version_wasm,
    ...(threads > 0 ? { threads } : {}),
    ...(typeof simd === 'boolean' ? { simd } : {}),
  };
}
