import { batchIndices, classFrequencies, flipFor, makeBatch, memoized, openDataset, type SegDataset } from '@unpool/datasets';
import type { DataRef } from '@unpool/results';
import type { BatchSource } from './train/train_loop.js';

/**
 * Opens an experiment's data reference at the run's resolution. Synthetic sets get `size` images; real
 * sets use every file, and evaluation caps the count itself (the scale's evalSize). Samples are made once
 * per run and kept (`memoized`): training revisits each image every epoch, evaluation every `evalEvery`.
 */
export function openData(ref: DataRef & { size?: number }, size: number, height: number, width: number): SegDataset {
  // Run configs carry the size next to the reference; only synthetic specs take one.
  const { size: _ignored, ...bare } = ref;
  const spec = bare.kind === 'synth' ? { ...bare, size } : bare;
  return memoized(openDataset(spec, { height, width }));
}

/** Training batches as a pure function of the step: seeded epoch permutations + seeded flips. */
export function trainBatches(dataset: SegDataset, batchSize: number, seed: number, flip: boolean): BatchSource {
  return {
    batch(step: number) {
      const indices = batchIndices({ size: dataset.size, batchSize, seed, step });
      const flips = flip ? indices.map((_, slot) => flipFor({ seed, step, slot })) : undefined;
      return makeBatch(dataset, indices, { flip: flips });
    },
  };
}

/** Class pixel frequencies over (at most) the first `count` training images; void last. */
export function trainingFrequencies(dataset: SegDataset, count: number): number[] {
  const n = Math.min(count, dataset.size);
  return classFrequencies({ ...dataset, size: n, get: (i: number) => dataset.get(i) });
}
