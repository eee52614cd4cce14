import * as os from 'node:os';
import { registerEngine, type EngineDefinition } from '@unpool/exp';
import { onnxruntimeEngine } from './ort_engine.js';

export { masksFor, onnxruntimeEngine } from './ort_engine.js';

/** The onnxruntime engine as the runner registers it: `auto` picks it on the CPU backends. */
export const ONNXRUNTIME_ENGINE: EngineDefinition = {
  name: 'onnxruntime',
  autoOn: ['wasm', 'cpu'],
  create: (config, options) => onnxruntimeEngine(config, { threads: options.threads ?? os.availableParallelism() }),
};

/** Registers the onnxruntime engine with the experiment runner (idempotent). */
export function registerOnnxruntimeEngine(): void {
  registerEngine(ONNXRUNTIME_ENGINE);
}
