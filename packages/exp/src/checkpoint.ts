import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { assignWeights, loadTensors, paramSpecs, readTensorManifest, saveTensors, type SegNet } from '@unpool/models';
import type { Optimizer } from './train/optimizer.js';

/** What besides tensors a resumed run needs; the data order and dropout masks follow from (seed, step). */
export interface CheckpointMeta {
  kind: 'segnet-checkpoint';
  configHash: string;
  step: number;
  optimizerT: number;
  /** Wall seconds spent on the run before this checkpoint (across earlier resumes). */
  elapsedSeconds: number;
  /** Logged seconds-per-step samples, for the median step time in result.json. */
  stepSeconds: number[];
  peakTrainBytes: number | null;
  startedAt: string;
}

export async function saveCheckpoint(dir: string, model: SegNet, optimizer: Optimizer, meta: CheckpointMeta): Promise<void> {
  const weights = paramSpecs(model.config).map((s) => ({ name: `w/${s.name}`, tensor: model.params.get(s.name)! as tf.Tensor }));
  const slots = optimizer.state().map((t) => ({ name: `o/${t.name}`, tensor: t.tensor }));
  await saveTensors(dir, [...weights, ...slots], meta);
}

export function checkpointMeta(dir: string): CheckpointMeta | null {
  if (!fs.existsSync(dir)) return null;
  return readTensorManifest<CheckpointMeta>(dir).meta;
}

/** Restores weights and optimizer state in place; throws (naming the folder) if it does not fit the model. */
export function loadCheckpoint(dir: string, model: SegNet, optimizer: Optimizer): CheckpointMeta {
  const { meta, tensors } = loadTensors<CheckpointMeta>(dir);
  try {
    if (meta.kind !== 'segnet-checkpoint') throw new Error(`${dir} is not a training checkpoint`);
    const weights = new Map<string, tf.Tensor>();
    const slots = new Map<string, tf.Tensor>();
    for (const [name, t] of tensors) {
      if (name.startsWith('w/')) weights.set(name.slice(2), t);
      else if (name.startsWith('o/')) slots.set(name.slice(2), t);
    }
    assignWeights(model, weights, `checkpoint ${dir}`);
    // Variables made from the loaded tensors hold their own reference, so disposing below is safe.
    optimizer.restore(meta.optimizerT, slots);
  } finally {
    tensors.forEach((t) => t.dispose());
  }
  return meta;
}
