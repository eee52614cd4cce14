import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import type { SegNetConfig } from '@unpool/models';
import { ortAvailable } from '@unpool/onnx';
import { onnxruntimeEngine } from './ort_engine.js';
import type { EngineChoice, EngineName, SegNetEngine } from './segnet_engine.js';
import { tfjsEngine } from './tfjs_engine.js';

/**
 * `auto`: ONNX Runtime when tfjs runs on the CPU (wasm, cpu: ORT's kernels are several times faster
 * there, see packages/bench) and ORT is present (the GPU bundle leaves it out), tfjs on an accelerator
 * backend (webgpu, tensorflow), which ORT's CPU provider would only slow down.
 */
export function resolveEngine(choice: EngineChoice, backend = tf.getBackend(), ortPresent = ortAvailable()): EngineName {
  if (choice !== 'auto') return choice;
  return (backend === 'wasm' || backend === 'cpu') && ortPresent ? 'onnxruntime' : 'tfjs';
}

export interface EngineOptions {
  /** ONNX Runtime intra-op threads; default: every core (os.availableParallelism). */
  threads?: number;
}

export function createEngine(choice: EngineChoice, config: SegNetConfig, options: EngineOptions = {}): SegNetEngine {
  const name = resolveEngine(choice);
  if (name === 'tfjs') return tfjsEngine();
  return onnxruntimeEngine(config, { threads: options.threads ?? os.availableParallelism() });
}
