import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@unpool/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatTable, median, timeTensorFn } from '../src/index.js';

describe('formatTable', () => {
  it('pads text columns on the right and number columns on the left', () => {
    const t = formatTable(['op', 'ms'], [['switch', '12.5'], ['ratio', '7.0']]);
    expect(t.split('\n')).toEqual(['op        ms', '------  ----', 'switch  12.5', 'ratio    7.0']);
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('timeTensorFn', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('runs warm-up + reps times, records reps samples and leaks no tensor', async () => {
    const x = tf.ones([4, 4]);
    let calls = 0;
    const before = tf.memory().numTensors;
    const timing = await timeTensorFn(() => {
      calls++;
      return [tf.matMul(x, x), tf.add(x, 1)];
    }, { warmup: 2, reps: 3 });
    expect(calls).toBe(5);
    expect(timing.samplesMs).toHaveLength(3);
    expect(timing.medianMs).toBe(median(timing.samplesMs));
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
