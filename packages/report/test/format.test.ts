import { describe, expect, it } from 'vitest';
import { fmt, fmtBytes, fmtSigned, fmtSpread, typeset } from '../src/format.js';

describe('number formatting', () => {
  it('never prints a negative zero and signs deltas', () => {
    expect(fmt(-0.001)).toBe('0.00');
    expect(fmtSigned(0.001)).toBe('0.00');
    expect(fmtSigned(4.531)).toBe('+4.53');
    expect(fmtSigned(-4)).toBe('-4.00');
  });

  it('formats the spread by kind', () => {
    expect(fmtSpread({ n: 1, mean: 1, min: 1, max: 1, low: 1, high: 1, spread: 'none' })).toBe('');
    expect(fmtSpread({ n: 2, mean: 1.5, min: 1, max: 2, low: 1, high: 2, spread: 'range' })).toBe('1.00–2.00');
    expect(fmtSpread({ n: 3, mean: 2, min: 1, max: 3, low: 0.5, high: 3.5, spread: 'ci95' })).toBe('±1.50');
  });

  it('typesets minus signs only in front of numbers', () => {
    expect(typeset('-4.00')).toBe('\u22124.00');
    expect(typeset('-1.00–-0.50')).toBe('\u22121.00–\u22120.50');
    expect(typeset('bayes-ratio')).toBe('bayes-ratio');
  });

  it('uses binary units for bytes', () => {
    expect(fmtBytes(512)).toBe('512 B');
    expect(fmtBytes(4096)).toBe('4.00 KiB');
    expect(fmtBytes(300 * 2 ** 20)).toBe('300 MiB');
  });
});
