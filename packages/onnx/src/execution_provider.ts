import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as ort from 'onnxruntime-node';
import type { PoolLowering } from './unpool_nodes.js';

/**
 * ONNX Runtime execution providers the SegNet graphs run on. One generated graph per EP: the EP decides only
 * how the pooling switches are spelled (`PoolLowering`), never a second copy of the model.
 */
export const EXECUTION_PROVIDERS = ['cpu', 'webgpu', 'cuda'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

/** MaxPool's Indices and MaxUnpool exist on ORT's CPU EP only; the GPU EPs get the window-mask form. */
export function poolLowering(ep: ExecutionProvider): PoolLowering {
  return ep === 'cpu' ? 'indices' : 'windows';
}

/** The CUDA provider library onnxruntime-node's install script puts next to its binding when asked to. */
export function cudaProviderPath(): string {
  const binding = createRequire(import.meta.url).resolve('onnxruntime-node');
  const root = join(dirname(binding), '..', '..');
  return join(root, 'bin', 'napi-v6', process.platform, process.arch, 'libonnxruntime_providers_cuda.so');
}

/** Throws a clear error when `ep` cannot be used in this installation (before any session is made). */
export function assertExecutionProvider(ep: ExecutionProvider, cudaLibrary: string = cudaProviderPath()): void {
  if (ep === 'cuda' && !existsSync(cudaLibrary)) {
    throw new Error(
      `--ep cuda: onnxruntime-node's CUDA 12 providers are not installed (no ${cudaLibrary}). Reinstall it with ` +
        `ONNXRUNTIME_NODE_INSTALL_CUDA=v12 (README: "ONNX Runtime on CUDA"), or use --ep webgpu / --ep cpu.`,
    );
  }
}

/**
 * Session options for `ep`. On a GPU EP, `disable_cpu_ep_fallback` makes session creation fail if any node
 * would run on the CPU EP (a host round trip inside the step) instead of silently placing it there.
 */
export function sessionOptionsFor(ep: ExecutionProvider, threads: number | undefined): ort.InferenceSession.SessionOptions {
  const common = { graphOptimizationLevel: 'all', intraOpNumThreads: threads ?? 0, interOpNumThreads: 1, executionMode: 'sequential' } as const;
  if (ep === 'cpu') return { ...common, executionProviders: ['cpu'] };
  return { ...common, executionProviders: [ep], extra: { session: { disable_cpu_ep_fallback: '1' } } };
}
