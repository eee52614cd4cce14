import { hashSeed, Rng } from './prng.js';

export interface BatchIndexOptions {
  /** Number of samples in the data set. */
  readonly size: number;
  readonly batchSize: number;
  readonly seed: number;
  /** 0-based training step. */
  readonly step: number;
}

// The permutation of the last epoch asked for: consecutive steps reuse it instead of reshuffling.
let cached: { size: number; seed: number; epoch: number; perm: Uint32Array } | undefined;

/** The seeded shuffle of 0..size-1 used in `epoch` (Fisher-Yates; a different one for every epoch). */
export function epochPermutation(size: number, seed: number, epoch: number): Uint32Array {
  if (cached && cached.size === size && cached.seed === seed && cached.epoch === epoch) return cached.perm;
  const perm = new Uint32Array(size);
  for (let i = 0; i < size; i++) perm[i] = i;
  const rng = new Rng(hashSeed('epoch-permutation', seed, epoch));
  for (let i = size - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  cached = { size, seed, epoch, perm };
  return perm;
}

/**
 * The sample indices of training step `step`: a pure function, so a run resumed at step k sees exactly
 * the batches it would have seen. Samples are consumed as one endless stream, epoch after epoch, where
 * epoch e = floor(position / size) is a fresh seeded permutation; a batch that straddles an epoch boundary
 * takes its tail from the next epoch's permutation (no sample is dropped or repeated within an epoch).
 */
export function batchIndices(opts: BatchIndexOptions): number[] {
  const { size, batchSize, seed, step } = opts;
  if (!Number.isInteger(size) || size <= 0) throw new Error(`batchIndices: size must be a positive integer, got ${size}`);
  if (!Number.isInteger(batchSize) || batchSize <= 0) throw new Error(`batchIndices: batchSize must be a positive integer, got ${batchSize}`);
  if (!Number.isInteger(step) || step < 0) throw new Error(`batchIndices: step must be a non-negative integer, got ${step}`);
  if (!Number.isFinite(seed)) throw new Error(`batchIndices: seed must be a finite number, got ${seed}`);
  const out: number[] = [];
  const first = step * batchSize;
  for (let k = 0; k < batchSize; k++) {
    const pos = first + k;
    const epoch = Math.floor(pos / size);
    out.push(epochPermutation(size, seed, epoch)[pos - epoch * size]);
  }
  return out;
}

export interface FlipOptions {
  readonly seed: number;
  readonly step: number;
  /** Position of the sample within its batch. */
  readonly slot: number;
}

/** Whether the sample in `slot` of batch `step` is mirrored: a fair coin, a pure function of its inputs. */
export function flipFor(opts: FlipOptions): boolean {
  return (hashSeed('flip', opts.seed, opts.step, opts.slot) & 1) === 1;
}
