import * as tf from '@tensorflow/tfjs';
import type { SegNetConfig } from '@unpool/models';
import type { EngineChoice, EngineName, SegNetEngine } from './segnet_engine.js';
import { tfjsEngine } from './tfjs_engine.js';

export interface EngineOptions {
  /** Intra-op threads of engines that have them (ONNX Runtime); default: every core. */
  threads?: number;
  /** ONNX Runtime execution provider (`cpu`, `webgpu`, `cuda`); engines without one reject it. */
  ep?: string;
  /** The process has its cores to itself: ONNX Runtime's CPU workers may spin-wait (see `CpuThreading`). */
  spinWait?: boolean;
}

/**
 * An engine as the runner knows it. Engines register themselves (`registerEngine`), so the runner never
 * imports one statically: the onnxruntime engine lives in @unpool/engine-onnxruntime and is registered by
 * whoever wants it (the CLI, the benchmarks); the GPU bundle simply does not.
 */
export interface EngineDefinition {
  name: EngineName;
  /** Backends where `--engine auto` picks this engine over tfjs (where it is faster). */
  autoOn: readonly string[];
  create(config: SegNetConfig, options: EngineOptions): SegNetEngine;
  /** Options `auto` adds when it picks this engine (the onnxruntime engine: its WebGPU EP on a hardware GPU). */
  autoOptions?(): EngineOptions;
}

const registry = new Map<EngineName, EngineDefinition>([
  ['tfjs', { name: 'tfjs', autoOn: [], create: () => tfjsEngine() }],
]);

/** Makes an engine available to `createEngine` and `auto` (a second registration of a name replaces the first). */
export function registerEngine(definition: EngineDefinition): void {
  registry.set(definition.name, definition);
}

export function registeredEngines(): EngineName[] {
  return [...registry.keys()];
}

/**
 * `auto`: a registered engine that prefers this backend (ONNX Runtime on wasm and cpu: its kernels are
 * several times faster there, see packages/bench), else tfjs, the only engine on an accelerator backend
 * (webgpu, tensorflow).
 */
export function resolveEngine(choice: EngineChoice, backend = tf.getBackend()): EngineName {
  if (choice !== 'auto') return choice;
  for (const d of registry.values()) if (d.autoOn.includes(backend)) return d.name;
  return 'tfjs';
}

export function createEngine(choice: EngineChoice, config: SegNetConfig, options: EngineOptions = {}): SegNetEngine {
  const name = resolveEngine(choice);
  const definition = registry.get(name);
  if (!definition) {
    throw new Error(`engine '${name}' is not registered (registered: ${registeredEngines().join(', ')}); the onnxruntime engine registers with registerOnnxruntimeEngine() from @unpool/engine-onnxruntime`);
  }
  if (options.ep !== undefined && options.ep !== 'cpu' && name !== 'onnxruntime') {
    throw new Error(`--ep ${options.ep} needs --engine onnxruntime (engine '${name}' has no execution providers)`);
  }
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as EngineOptions;
  return definition.create(config, { ...(choice === 'auto' ? definition.autoOptions?.() : {}), ...given });
}
