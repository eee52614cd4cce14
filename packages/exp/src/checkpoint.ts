import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { assignWeights, loadTensors, paramSpecs, saveTensors, type SegNet } from '@unpool/models';
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

/**
 * The newest checkpoints a run keeps: each is its own `checkpoint/step-<n>/` folder written whole and then
 * renamed into place, so when the newest turns out unreadable the run falls back to the one before it.
 */
const KEEP = 2;

const stepFolder = (dir: string, step: number) => path.join(dir, `step-${String(step).padStart(8, '0')}`);

/** Checkpoint folders, newest first (a folder from before step folders counts as the oldest). */
function candidates(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const steps = fs.readdirSync(dir).filter((f) => /^step-\d+$/.test(f)).sort().reverse().map((f) => path.join(dir, f));
  return fs.existsSync(path.join(dir, 'manifest.json')) ? [...steps, dir] : steps;
}

export async function saveCheckpoint(dir: string, model: SegNet, optimizer: Optimizer, meta: CheckpointMeta): Promise<void> {
  const weights = paramSpecs(model.config).map((s) => ({ name: `w/${s.name}`, tensor: model.params.get(s.name)! as tf.Tensor }));
  const slots = optimizer.state().map((t) => ({ name: `o/${t.name}`, tensor: t.tensor }));
  await saveTensors(stepFolder(dir, meta.step), [...weights, ...slots], meta);
  for (const old of candidates(dir).slice(KEEP)) {
    if (old !== dir) fs.rmSync(old, { recursive: true, force: true });
  }
}

/** Restores weights and optimizer state in place from one checkpoint folder; throws naming the folder. */
function loadOne(dir: string, configHash: string, model: SegNet, optimizer: Optimizer): CheckpointMeta {
  const { meta, tensors } = loadTensors<CheckpointMeta>(dir);
  try {
    if (meta?.kind !== 'segnet-checkpoint') throw new Error(`${dir} is not a training checkpoint`);
    if (meta.configHash !== configHash) throw new Error(`${dir} is for config ${meta.configHash}, not ${configHash}`);
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

export interface Restored {
  /** The checkpoint resumed from, or null for a start from step 0. */
  meta: CheckpointMeta | null;
  /** One line per checkpoint that could not be used (and was removed), for the log. */
  skipped: string[];
}

/**
 * Restores the newest usable checkpoint of the run in place. Unreadable ones (a torn tensors.bin, a garbage
 * manifest, another config) are reported and removed, so the next attempt does not trip on them again.
 */
export function restoreCheckpoint(dir: string, configHash: string, model: SegNet, optimizer: Optimizer): Restored {
  const skipped: string[] = [];
  for (const candidate of candidates(dir)) {
    try {
      return { meta: loadOne(candidate, configHash, model, optimizer), skipped };
    } catch (err) {
      skipped.push((err as Error).message);
      if (candidate === dir) {
        for (const f of ['manifest.json', 'tensors.bin']) fs.rmSync(path.join(dir, f), { force: true });
      } else {
        fs.rmSync(candidate, { recursive: true, force: true });
      }
    }
  }
  return { meta: null, skipped };
}
