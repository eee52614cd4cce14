import * as os from 'node:os';
import { registerEngine, type EngineDefinition } from '@unpool/exp';
import { EXECUTION_PROVIDERS, type ExecutionProvider } from '@unpool/onnx';
import { onnxruntimeEngine } from './ort_engine.js';

export { masksFor, onnxruntimeEngine } from './ort_engine.js';
export { gpuAdapterName, isSoftwareAdapter } from './gpu_adapter.js';

/** The onnxruntime engine as the runner registers it: `auto` picks it on the CPU backends. */
export const ONNXRUNTIME_ENGINE: EngineDefinition = {
  name: 'onnxruntime',
  autoOn: ['wasm', 'cpu'],
  create: (config, options) => onnxruntimeEngine(config, { threads: options.threads ?? os.availableParallelism(), ep: executionProvider(options.ep) }),
};

function executionProvider(ep: string | undefined): ExecutionProvider {
  const value = ep ?? 'cpu';
  if (!(EXECUTION_PROVIDERS as readonly string[]).includes(value)) throw new Error(`--ep: unknown execution provider '${ep}' (expected one of ${EXECUTION_PROVIDERS.join(', ')})`);
  return value as ExecutionProvider;
}

/** Registers the onnxruntime engine with the experiment runner (idempotent). */
export function registerOnnxruntimeEngine(): void {
  registerEngine(ONNXRUNTIME_ENGINE);
}
