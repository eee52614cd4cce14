import * as os from 'node:os';
import { registerEngine, type EngineDefinition } from '@unpool/exp';
import { EXECUTION_PROVIDERS, type ExecutionProvider } from '@unpool/onnx';
import { autoExecutionProvider, gpuAdapterName } from './gpu_adapter.js';
import { onnxruntimeEngine } from './ort_engine.js';

export { masksFor, onnxruntimeEngine } from './ort_engine.js';
export { autoExecutionProvider, gpuAdapterName, isSoftwareAdapter } from './gpu_adapter.js';

let autoEp: ExecutionProvider | undefined;

/** The onnxruntime engine as the runner registers it: `auto` picks it on the CPU backends, on its WebGPU EP where Dawn finds a hardware GPU. */
export const ONNXRUNTIME_ENGINE: EngineDefinition = {
  name: 'onnxruntime',
  autoOn: ['wasm', 'cpu'],
  // Asked once per process (a child process probes Dawn): a GPU machine trains on ORT's WebGPU EP.
  autoOptions: () => ({ ep: (autoEp ??= autoExecutionProvider(gpuAdapterName())) }),
  create: (config, options) => onnxruntimeEngine(config, { threads: options.threads ?? os.availableParallelism(), ep: executionProvider(options.ep), spinWait: options.spinWait }),
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
