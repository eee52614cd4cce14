import webgpuPackage from '@tensorflow/tfjs-backend-webgpu/package.json' with { type: 'json' };
import { replaceKernel, replacedKernels } from './replace_kernel.js';
import { webgpuAdapterChoice, selectWebgpuAdapter, type WebgpuAdapterChoice } from './webgpu_adapter.js';
import { webgpuAdamKernel } from './webgpu_adam.js';
import { webgpuConv2dBackpropFilterKernel } from './webgpu_conv2d_backprop_filter.js';

export { webgpuConv2dBackpropFilterKernel };

/** `UNPOOL_WEBGPU_KERNELS=stock` keeps tfjs-webgpu's own kernels: the A/B baseline for benchmarks. */
export const WEBGPU_KERNELS_ENV = 'UNPOOL_WEBGPU_KERNELS';

/** Provenance of the webgpu backend: which adapter a run trained on. */
export interface WebgpuDetails {
  version: string;
  /** `UNPOOL_WEBGPU_ADAPTER` as resolved ('auto', 'vulkan', 'llvmpipe'). */
  choice: WebgpuAdapterChoice;
  /** 'default' is Dawn's native backend (Vulkan on Linux); 'opengles' is the llvmpipe fallback. */
  dawnBackend: 'default' | 'opengles';
  adapter: Record<string, string>;
  /** Kernels replaced by @unpool/runtime ('fast') or tfjs-webgpu's own ('stock'). */
  kernels: 'fast' | 'stock';
}

let loading: Promise<Omit<WebgpuDetails, 'kernels'>> | undefined;
let details: WebgpuDetails | undefined;

/**
 * Makes the webgpu backend available and fit for training: finds an adapter (see webgpu_adapter.ts),
 * installs it as `navigator.gpu`, imports tfjs-backend-webgpu (which registers the backend only if
 * `navigator.gpu` exists when it is imported) and replaces its weight-gradient kernel.
 *
 * `UNPOOL_WEBGPU_KERNELS=stock` (read at the first call) skips the replacement.
 *
 * Reads on this backend must be asynchronous (`await t.data()`): `dataSync` needs OffscreenCanvas,
 * which Node lacks.
 */
export async function loadWebgpuBackend(): Promise<void> {
  const kernels = webgpuKernelChoice();
  if (loading === undefined) {
    const started = load();
    loading = started;
    // A failed start-up (no adapter) may be fixed and retried in the same process (tests, REPL).
    started.catch(() => {
      loading = undefined;
    });
  }
  const started = await loading;
  if (kernels === 'fast') {
    replaceKernel(webgpuConv2dBackpropFilterKernel());
    replaceKernel(webgpuAdamKernel());
  }
  // What is registered, not what was asked: a replacement made earlier in the process stays.
  details = { ...started, kernels: replacedKernels('webgpu').length > 0 ? 'fast' : 'stock' };
}

function webgpuKernelChoice(env: NodeJS.ProcessEnv = process.env): 'fast' | 'stock' {
  const raw = (env[WEBGPU_KERNELS_ENV] ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'fast') return 'fast';
  if (raw === 'stock') return 'stock';
  throw new Error(`${WEBGPU_KERNELS_ENV}: '${env[WEBGPU_KERNELS_ENV]}' is not one of fast, stock`);
}

async function load(): Promise<Omit<WebgpuDetails, 'kernels'>> {
  const choice = webgpuAdapterChoice();
  const selection = await selectWebgpuAdapter(choice);
  installNavigatorGpu(selection.gpu);
  await import('@tensorflow/tfjs-backend-webgpu');
  return { version: webgpuPackage.version, choice, dawnBackend: selection.dawnBackend, adapter: selection.adapter };
}

/** Node 20 has no `navigator`; newer Nodes have one (without `gpu`), which gets the property instead. */
function installNavigatorGpu(gpu: unknown): void {
  const g = globalThis as { navigator?: object };
  if (g.navigator === undefined) g.navigator = { gpu };
  else Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
}

/** Provenance of the webgpu backend, or undefined when it was never loaded. */
export function webgpuDetails(): WebgpuDetails | undefined {
  return details === undefined ? undefined : { ...details, adapter: { ...details.adapter } };
}
