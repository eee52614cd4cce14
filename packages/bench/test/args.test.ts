import { describe, expect, it } from 'vitest';
import { commonOptions, parseArgs } from '../src/index.js';

describe('parseArgs', () => {
  it('splits the benchmark name from --key value and --key=value flags', () => {
    expect(parseArgs(['ops', '--out', 'x.json', '--reps=3', '--only', 'mini'])).toEqual({
      what: 'ops',
      flags: { out: 'x.json', reps: '3', only: 'mini' },
    });
  });

  it('rejects a missing name, a flag without value, a repeated flag and stray words', () => {
    expect(() => parseArgs(['--out', 'x'])).toThrow(/first argument must name a benchmark/);
    expect(() => parseArgs(['ops', '--out'])).toThrow("bench: flag '--out' needs a value");
    expect(() => parseArgs(['ops', '--out', '--reps', '3'])).toThrow("bench: flag '--out' needs a value");
    expect(() => parseArgs(['ops', '--reps', '1', '--reps', '2'])).toThrow("bench: flag '--reps' given twice");
    expect(() => parseArgs(['ops', 'extra'])).toThrow("bench: unexpected argument 'extra'");
  });
});

describe('commonOptions', () => {
  it('defaults the backend to wasm and accepts only wasm, cpu or webgpu', () => {
    expect(commonOptions.parse({ out: 'a.json' })).toEqual({ out: 'a.json', backend: 'wasm' });
    expect(commonOptions.parse({ out: 'a.json', backend: 'webgpu' }).backend).toBe('webgpu');
    expect(commonOptions.safeParse({ out: 'a.json', backend: 'webgl' }).success).toBe(false);
    expect(commonOptions.safeParse({}).success).toBe(false);
  });
});
