import * as tf from '@tensorflow/tfjs';

const replaced = new Map<string, string[]>();

/**
 * Registers `config` in place of whatever `config.kernelName` kernel `config.backendName` has.
 * Idempotent per (backend, kernel): later calls are no-ops, so repeated `selectBackend` calls are cheap.
 */
export function replaceKernel(config: tf.KernelConfig): void {
  const names = replaced.get(config.backendName) ?? [];
  if (names.includes(config.kernelName)) return;
  // registerKernel refuses (with a warning) a kernel that is already registered.
  if (tf.getKernel(config.kernelName, config.backendName) !== undefined) {
    tf.unregisterKernel(config.kernelName, config.backendName);
  }
  tf.registerKernel(config);
  replaced.set(config.backendName, [...names, config.kernelName]);
}

/** Kernels of `backendName` that this package replaced, for run provenance. */
export function replacedKernels(backendName: string): string[] {
  return [...(replaced.get(backendName) ?? [])];
}
