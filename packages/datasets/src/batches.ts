import { batchIndices, flipFor } from './batch_indices.js';
import { assembleBatch, toTensors, type Batch, type RawBatch } from './make_batch.js';
import type { SegDataset } from './sample.js';

export interface BatchesOptions {
  readonly dataset: SegDataset;
  readonly batchSize: number;
  /** Seed of the data order and of the flips. */
  readonly seed: number;
  /**
   * true (default): endless seeded shuffling from `startStep` (training; see batchIndices).
   * false: one pass in index order, the last batch possibly short (evaluation).
   */
  readonly shuffle?: boolean;
  /** First step to produce (resume). Default 0. */
  readonly startStep?: number;
  /** Stop before this step (shuffled mode); default: never. */
  readonly endStep?: number;
  /** Random horizontal flips (shuffled mode only). Default false. */
  readonly flip?: boolean;
  /** How many batches are prepared ahead as typed arrays (never as tensors). Default 2. */
  readonly prefetch?: number;
}

export interface StepBatch extends Batch {
  readonly step: number;
  readonly indices: readonly number[];
}

interface Plan {
  readonly step: number;
  readonly indices: number[];
  readonly flip?: boolean[];
}

const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Yields batches in a deterministic order. Up to `prefetch` batches are decoded ahead, each in its own
 * event-loop turn so the consumer's awaits (GPU reads, logging) overlap with data preparation; tensors
 * are created only for the batch being yielded, and the consumer disposes them.
 */
export async function* batches(opts: BatchesOptions): AsyncGenerator<StepBatch> {
  const { dataset, batchSize, seed } = opts;
  const shuffle = opts.shuffle ?? true;
  const prefetch = Math.max(1, opts.prefetch ?? 2);
  if (!Number.isInteger(batchSize) || batchSize <= 0) throw new Error(`batches: batchSize must be a positive integer, got ${batchSize}`);
  let step = opts.startStep ?? 0;
  const plan = (): Plan | undefined => {
    if (shuffle) {
      if (opts.endStep !== undefined && step >= opts.endStep) return undefined;
      const indices = batchIndices({ size: dataset.size, batchSize, seed, step });
      const flip = opts.flip ? indices.map((_, slot) => flipFor({ seed, step, slot })) : undefined;
      return { step: step++, indices, flip };
    }
    const first = step * batchSize;
    if (first >= dataset.size) return undefined;
    const indices: number[] = [];
    for (let i = first; i < Math.min(first + batchSize, dataset.size); i++) indices.push(i);
    return { step: step++, indices };
  };
  const queue: Promise<{ p: Plan; raw: RawBatch }>[] = [];
  const fill = (): void => {
    while (queue.length < prefetch) {
      const p = plan();
      if (!p) return;
      const job = nextTick().then(() => ({ p, raw: assembleBatch(dataset, p.indices, { flip: p.flip }) }));
      // A failing batch ahead must surface when its turn comes, not as an unhandled rejection now.
      job.catch(() => undefined);
      queue.push(job);
    }
  };
  fill();
  while (queue.length > 0) {
    const { p, raw } = await queue.shift()!;
    fill();
    yield { step: p.step, indices: p.indices, ...toTensors(raw) };
  }
}
