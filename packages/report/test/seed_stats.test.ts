import { describe, expect, it } from 'vitest';
import { seedStats } from '../src/seed_stats.js';
import { studentTCdf, studentTQuantile } from '../src/student_t.js';

describe('Student t quantiles', () => {
  // Two-sided 95% critical values as printed in statistics tables.
  const TABLE: [number, number][] = [
    [1, 12.706],
    [2, 4.303],
    [3, 3.182],
    [4, 2.776],
    [9, 2.262],
    [30, 2.042],
  ];
  it.each(TABLE)('t(0.975, df=%i) = %f', (df, t) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 3);
  });

  it('is symmetric around 0 and tends to the normal quantile', () => {
    expect(studentTCdf(0, 5)).toBeCloseTo(0.5, 12);
    expect(studentTQuantile(0.025, 4)).toBeCloseTo(-studentTQuantile(0.975, 4), 9);
    expect(studentTQuantile(0.975, 1e5)).toBeCloseTo(1.95996, 3);
  });

  it('rejects a probability outside (0, 1)', () => {
    expect(() => studentTQuantile(1, 3)).toThrow(/p must be in \(0, 1\), got 1/);
  });
});

describe('seedStats', () => {
  it('gives no spread for one seed', () => {
    expect(seedStats([0.4, null])).toEqual({ n: 1, mean: 0.4, min: 0.4, max: 0.4, low: 0.4, high: 0.4, spread: 'none' });
  });

  it('gives min-max for two seeds', () => {
    const s = seedStats([3, 1])!;
    expect([s.spread, s.mean, s.low, s.high]).toEqual(['range', 2, 1, 3]);
  });

  it('gives the 95% t interval of the mean for three or more seeds', () => {
    const s = seedStats([1, 2, 3])!;
    // sd = 1, n = 3: half-width = 4.303 / sqrt(3).
    expect(s.spread).toBe('ci95');
    expect(s.mean).toBe(2);
    expect(s.high - s.mean).toBeCloseTo(4.303 / Math.sqrt(3), 3);
    expect(s.mean - s.low).toBeCloseTo(s.high - s.mean, 12);
  });

  it('ignores nulls and returns null when nothing is left', () => {
    expect(seedStats([null, undefined])).toBe(null);
    expect(seedStats([null, 5, null, 7])!.spread).toBe('range');
  });
});
