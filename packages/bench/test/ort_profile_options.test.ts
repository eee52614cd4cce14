import { describe, expect, it } from 'vitest';
import { ortProfileOptions } from '../src/ort_profile_benchmark.js';

describe('ort-profile options', () => {
  it('parses comma lists of unpool modes and thread counts, with defaults', () => {
    expect(ortProfileOptions.parse({ unpool: 'ratio, switch', threads: '2,1' })).toMatchObject({ unpool: ['ratio', 'switch'], threads: [2, 1], steps: 5 });
    expect(ortProfileOptions.parse({})).toMatchObject({ unpool: ['switch', 'ratio'], threads: [1, 2] });
  });

  it('rejects unknown modes and bad thread counts', () => {
    expect(ortProfileOptions.safeParse({ unpool: 'bilinear' }).success).toBe(false);
    expect(ortProfileOptions.safeParse({ threads: '1,x' }).success).toBe(false);
    expect(ortProfileOptions.safeParse({ threads: '0' }).success).toBe(false);
  });
});
