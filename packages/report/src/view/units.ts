import { fmt, fmtBytes } from '../format.js';

/**
 * How numbers with a unit read on a page: milliseconds to a precision their noise allows, bytes in
 * binary units, ratios with a multiplication sign, timings as median [min–max] of their samples.
 */

export type Unit = 'ms' | 'bytes' | 'ratio' | 'count' | 'percent' | 'seconds' | 'none';

export function fmtMs(ms: number): string {
  return fmt(ms, ms >= 100 ? 0 : ms >= 10 ? 1 : 2);
}

export function fmtRatio(x: number): string {
  return `${fmt(x, 2)}×`;
}

export function fmtCount(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

/** Seconds as "12s", "3m 05s", "1h 02m". */
export function fmtSeconds(s: number): string {
  if (!Number.isFinite(s)) return '';
  const t = Math.max(0, Math.round(s));
  if (t < 60) return `${t}s`;
  if (t < 3600) return `${Math.floor(t / 60)}m ${String(t % 60).padStart(2, '0')}s`;
  return `${Math.floor(t / 3600)}h ${String(Math.floor((t % 3600) / 60)).padStart(2, '0')}m`;
}

/** Any number with its unit; non-integers without a unit get four significant digits. */
export function fmtUnit(x: number, unit: Unit): string {
  if (!Number.isFinite(x)) return String(x);
  switch (unit) {
    case 'ms':
      return fmtMs(x);
    case 'bytes':
      return fmtBytes(Math.round(x));
    case 'ratio':
      return fmtRatio(x);
    case 'count':
      return fmtCount(x);
    case 'percent':
      return fmt(x, 1);
    case 'seconds':
      return fmtSeconds(x);
    case 'none':
      return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(4)));
  }
}

export interface SampleSummary {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function summarize(samples: readonly number[]): SampleSummary | null {
  const xs = samples.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const mid = xs.length >> 1;
  const median = xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
  return { median, min: xs[0], max: xs[xs.length - 1], n: xs.length };
}

/** "21.9 [17.7–22.8]": the median, then the range of the samples it came from. */
export function fmtMedianRange(s: SampleSummary, unit: Unit): { median: string; range: string } {
  return { median: fmtUnit(s.median, unit), range: s.n > 1 ? `[${fmtUnit(s.min, unit)}–${fmtUnit(s.max, unit)}]` : '' };
}

/** A shape as "8×64×192×16". */
export function fmtShape(shape: readonly unknown[]): string {
  return shape.map(String).join('×');
}
