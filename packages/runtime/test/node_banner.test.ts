import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { selectBackend } from '../src/index.js';

describe('the tfjs Node.js banner', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is not printed when the cpu backend is first used', async () => {
    const warn = vi.spyOn(console, 'warn');
    const log = vi.spyOn(console, 'log');
    await selectBackend('cpu');
    tf.tensor([1, 2, 3]).square().dataSync();
    const printed = [...warn.mock.calls, ...log.mock.calls].flat().map(String).join('\n');
    expect(printed).not.toContain('looks like you are running TensorFlow.js in Node.js');
  });

  it('does not hide other tfjs warnings', async () => {
    const warn = vi.spyOn(console, 'warn');
    tf.backend_util.warn('a tfjs warning');
    expect(warn).toHaveBeenCalledWith('a tfjs warning');
  });
});
