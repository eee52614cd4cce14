import { studentTQuantile } from './student_t.js';
import type { VariantCell } from './variant_cell.js';

/**
 * The gain of one variant over another as the mean of PAIRED per-seed differences: a seed fixes the data
 * order and the initialisation, so `after(seed) - before(seed)` removes the seed's own luck from the
 * comparison. Only seeds with a number on both sides count.
 */
export interface PairedGain {
  /** Seeds with a number on both sides, ascending. */
  seeds: number[];
  diffs: number[];
  n: number;
  mean: number;
  /** The 95% t interval of the mean difference (n - 1 degrees of freedom); null for one seed. */
  ci95: { low: number; high: number; df: number } | null;
}

/** The paired gain of `after` over `before` (e.g. ratio over switch), or null without a common seed. */
export function pairedGain(before: VariantCell, after: VariantCell): PairedGain | null {
  if (before.kind !== 'stats' || after.kind !== 'stats') return null;
  const seeds = [...before.perSeed.keys()].filter((s) => after.perSeed.has(s)).sort((a, b) => a - b);
  return pairedDiffs(seeds, seeds.map((s) => after.perSeed.get(s)! - before.perSeed.get(s)!));
}

/** Mean and 95% t interval of per-seed differences (pure; `diffs[i]` belongs to `seeds[i]`). */
export function pairedDiffs(seeds: number[], diffs: number[]): PairedGain | null {
  const n = diffs.length;
  if (n === 0) return null;
  const mean = diffs.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { seeds, diffs, n, mean, ci95: null };
  const sd = Math.sqrt(diffs.reduce((a, d) => a + (d - mean) ** 2, 0) / (n - 1));
  const half = studentTQuantile(0.975, n - 1) * (sd / Math.sqrt(n));
  return { seeds, diffs, n, mean, ci95: { low: mean - half, high: mean + half, df: n - 1 } };
}
