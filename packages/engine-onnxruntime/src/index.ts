import * as os from 'node:os';
import { registerEngine, type EngineDefinition } from '@unpool/exp';
import { ortAvailable } from '@unpool/onnx';
import { onnxruntimeEngine } from './ort_engine.js';

export { masksFor, onnxruntimeEngine } from './ort_engine.js';

/** The onnxruntime engine as the runner registers it: `auto` picks it on the CPU backends. */
export const ONNXRUNTIME_ENGINE: EngineDefinition = {
  name: 'onnxruntime',
  autoOn: ['wasm', 'cpu'],
  create: (config, options) => onnxruntimeEngine(config, { threads: options.threads ?? os.availableParallelism() }),
};

/**
 * Registers the onnxruntime engine with the experiment runner (idempotent). Returns false, registering
 * nothing, where onnxruntime-node is only the GPU bundle's stub: there `auto` stays on tfjs.
 */
export function registerOnnxruntimeEngine(): boolean {
  if (!ortAvailable()) return false;
  registerEngine(ONNXRUNTIME_ENGINE);
  return true;
}
