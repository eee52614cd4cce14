import { studentTQuantile } from './student_t.js';

/**
 * How a cell summarises several seeds: one seed shows no spread, two show their min-max (a CI from two
 * points is too wide to mean anything), three or more show the 95% confidence interval of the mean
 * (t distribution).
 */
export type SpreadKind = 'none' | 'range' | 'ci95';

export interface SeedStats {
  /** Seeds with a value. */
  n: number;
  mean: number;
  min: number;
  max: number;
  /** Bounds shown as the spread: min/max for 'range', the CI for 'ci95', the mean for 'none'. */
  low: number;
  high: number;
  spread: SpreadKind;
}

/** Summary of the non-null values, or null when there are none. */
export function seedStats(values: readonly (number | null | undefined)[]): SeedStats | null {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const min = Math.min(...xs);
  const max = Math.max(...xs);
  if (n === 1) return { n, mean, min, max, low: mean, high: mean, spread: 'none' };
  if (n === 2) return { n, mean, min, max, low: min, high: max, spread: 'range' };
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
  const half = studentTQuantile(0.975, n - 1) * Math.sqrt(variance / n);
  return { n, mean, min, max, low: mean - half, high: mean + half, spread: 'ci95' };
}

/** Multiplies every number of the summary (e.g. fractions to percent). */
export function scaleStats(stats: SeedStats | null, factor: number): SeedStats | null {
  if (!stats) return null;
  return { ...stats, mean: stats.mean * factor, min: stats.min * factor, max: stats.max * factor, low: stats.low * factor, high: stats.high * factor };
}
