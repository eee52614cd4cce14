import * as tf from '@tensorflow/tfjs';
import { validateSegNetConfig, type SegNetConfig } from './segnet_config.js';
import { initParams, paramSpecs, type SegNetParams } from './segnet_params.js';
import { loadTensors, saveTensors } from './tensor_store.js';

/** A SegNet: its config and its variables. Dispose it when done; variables are engine-global. */
export interface SegNet {
  config: SegNetConfig;
  params: SegNetParams;
  /** Variables with gradients, in the fixed `paramSpecs` order. */
  trainable: tf.Variable[];
  dispose(): void;
}

function wrap(config: SegNetConfig, params: SegNetParams): SegNet {
  const trainable = paramSpecs(config)
    .filter((s) => s.trainable)
    .map((s) => params.get(s.name)!);
  return {
    config,
    params,
    trainable,
    dispose: () => params.forEach((v) => v.dispose()),
  };
}

export function createSegNet(config: SegNetConfig, seed: number): SegNet {
  validateSegNetConfig(config);
  return wrap(config, initParams(config, seed).params);
}

interface WeightsMeta {
  kind: 'segnet-weights';
  config: SegNetConfig;
}

export async function saveSegNet(model: SegNet, dir: string): Promise<void> {
  const tensors = paramSpecs(model.config).map((s) => ({ name: s.name, tensor: model.params.get(s.name)! }));
  await saveTensors<WeightsMeta>(dir, tensors, { kind: 'segnet-weights', config: model.config });
}

/** Copies stored values into the model's variables, checking every name and shape. */
export function assignWeights(model: SegNet, stored: Map<string, tf.Tensor>, source: string): void {
  for (const s of paramSpecs(model.config)) {
    const t = stored.get(s.name);
    if (!t) throw new Error(`${source}: weight '${s.name}' is missing`);
    if (t.shape.join(',') !== s.shape.join(',')) {
      throw new Error(`${source}: weight '${s.name}' has shape [${t.shape}], the model expects [${s.shape}]`);
    }
    model.params.get(s.name)!.assign(t);
  }
}

/** Loads a model saved by `saveSegNet` onto whatever backend is active. */
export function loadSegNet(dir: string): SegNet {
  const { meta, tensors } = loadTensors<WeightsMeta>(dir);
  if (meta?.kind !== 'segnet-weights') throw new Error(`loadSegNet: ${dir} does not hold SegNet weights`);
  const model = createSegNet(meta.config, 0);
  try {
    assignWeights(model, tensors, `loadSegNet(${dir})`);
  } catch (err) {
    model.dispose();
    throw err;
  } finally {
    tensors.forEach((t) => t.dispose());
  }
  return model;
}
