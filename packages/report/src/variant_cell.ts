import type { RunResult } from '@unpool/results';
import type { RunSlot, SlotStatus } from './run_slots.js';
import { seedStats, type SeedStats } from './seed_stats.js';

/**
 * One variant's number for one quantity, summarised over its seeds. Seeds that did not complete never
 * vanish: with no completed seed the cell is their status, otherwise `pending` lists them.
 */
export type VariantCell =
  | {
      kind: 'stats';
      stats: SeedStats;
      /** Value per seed (only seeds with a value). */
      perSeed: Map<number, number>;
      /** Seeds the grid expects for this variant. */
      expected: number;
      /** Statuses of the expected seeds that are not completed. */
      pending: SlotStatus[];
    }
  /** Completed, but the quantity is undefined in every seed (a class absent from truth and prediction). */
  | { kind: 'undefined' }
  /** Completed, but the result has no such evaluation (older run, other eval sets). */
  | { kind: 'absent' }
  | { kind: 'status'; statuses: SlotStatus[] };

/**
 * `pick` returns the quantity of a completed run's result: a number, null when it is undefined, or
 * undefined when the result does not have it. `factor` scales it (fractions to percent).
 */
export function variantCell(
  slots: readonly RunSlot[],
  variant: string,
  pick: (result: RunResult) => number | null | undefined,
  factor = 1,
): VariantCell {
  const own = slots.filter((s) => s.variant.name === variant);
  if (own.length === 0) return { kind: 'status', statuses: ['missing'] };
  const done = own.filter((s) => s.status === 'completed' && s.run?.result);
  const pending = own.filter((s) => !done.includes(s)).map((s) => s.status);
  if (done.length === 0) return { kind: 'status', statuses: [...new Set(pending)] };
  const perSeed = new Map<number, number>();
  let sawNull = false;
  for (const s of done) {
    const v = pick(s.run!.result!);
    if (v === null) sawNull = true;
    if (typeof v === 'number' && Number.isFinite(v)) perSeed.set(s.seed, v * factor);
  }
  const stats = seedStats([...perSeed.values()]);
  if (!stats) return sawNull ? { kind: 'undefined' } : { kind: 'absent' };
  return { kind: 'stats', stats, perSeed, expected: own.length, pending };
}

export interface DeltaCell {
  /** Mean of the second minus mean of the first, or null when either has no numbers. */
  value: number | null;
  /**
   * Spread of the per-seed differences, when both cells have numbers for the same seeds (two or more):
   * seeds share data order and initialisation, so the paired difference is the sharper comparison.
   */
  paired: SeedStats | null;
}

/** `after - before`, e.g. ratio - switch. */
export function deltaCell(before: VariantCell, after: VariantCell): DeltaCell {
  if (before.kind !== 'stats' || after.kind !== 'stats') return { value: null, paired: null };
  const value = after.stats.mean - before.stats.mean;
  const seeds = [...before.perSeed.keys()];
  const sameSeeds = seeds.length === after.perSeed.size && seeds.every((s) => after.perSeed.has(s));
  if (!sameSeeds || seeds.length < 2) return { value, paired: null };
  const diffs = seeds.map((s) => after.perSeed.get(s)! - before.perSeed.get(s)!);
  return { value, paired: seedStats(diffs) };
}

/** Which of two cells is better (higher), for bolding; null on a tie or when either lacks a number. */
export function better(a: VariantCell, b: VariantCell): 'first' | 'second' | null {
  if (a.kind !== 'stats' || b.kind !== 'stats') return null;
  if (a.stats.mean === b.stats.mean) return null;
  return a.stats.mean > b.stats.mean ? 'first' : 'second';
}
