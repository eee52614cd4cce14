import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@unpool/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  maxPool2x2,
  maxPoolWithSwitches,
  nearestUnpool,
  ratioUnpool,
  switchUnpool,
  upsampleNearest2x,
} from '../src/index.js';
import { BACKENDS } from './helpers.js';

const z = (shape: number[], dtype: 'float32' | 'int32' = 'float32') => tf.zeros(shape, dtype) as unknown as tf.Tensor4D;

describe.each(BACKENDS)('argument errors on %s name the op, the argument and the shapes', (backend) => {
  beforeAll(async () => {
    expect(await selectBackend(backend)).toBe(backend);
  });

  it('ratioUnpool: pooled vs y', () => {
    expect(() => ratioUnpool(z([1, 3, 5, 8]), z([1, 6, 10, 8]), z([1, 3, 4, 8]))).toThrow(
      "ratioUnpool: 'pooled' has shape [1,3,4,8] but 'y' has [1,3,5,8]",
    );
  });

  it('ratioUnpool: prePool vs pooled', () => {
    expect(() => ratioUnpool(z([1, 3, 5, 8]), z([1, 6, 8, 8]), z([1, 3, 5, 8]))).toThrow(
      "ratioUnpool: 'prePool' has shape [1,6,8,8] but 'pooled' has [1,3,5,8] (expected [1,6,10,8])",
    );
    expect(() => ratioUnpool(z([2, 3, 5, 8]), z([1, 6, 10, 8]), z([2, 3, 5, 8]))).toThrow(/'prePool' has shape \[1,6,10,8\]/);
    expect(() => ratioUnpool(z([1, 3, 5, 8]), z([1, 6, 10, 4]), z([1, 3, 5, 8]))).toThrow(/expected \[1,6,10,8\]/);
  });

  it('odd height or width', () => {
    expect(() => maxPool2x2(z([1, 5, 4, 2]))).toThrow(
      "maxPool2x2: 'x' has shape [1,5,4,2]: 2x2 pooling needs an even, non-zero height and width",
    );
    expect(() => maxPoolWithSwitches(z([2, 4, 7, 1]))).toThrow(/^maxPoolWithSwitches: 'x' has shape \[2,4,7,1\]/);
    expect(() => ratioUnpool(z([1, 2, 2, 1]), z([1, 5, 4, 1]), z([1, 2, 2, 1]))).toThrow(
      /^ratioUnpool: 'prePool' has shape \[1,5,4,1\]: 2x2 pooling needs an even/,
    );
  });

  it('rank other than 4', () => {
    expect(() => maxPool2x2(tf.zeros([4, 4, 2]) as unknown as tf.Tensor4D)).toThrow(
      "maxPool2x2: 'x' must be rank 4 (NHWC) but has shape [4,4,2]",
    );
    expect(() => nearestUnpool(tf.zeros([1, 2, 2, 2, 1]) as unknown as tf.Tensor4D)).toThrow(
      "nearestUnpool: 'y' must be rank 4 (NHWC) but has shape [1,2,2,2,1]",
    );
    expect(() => upsampleNearest2x(tf.zeros([2, 2]) as unknown as tf.Tensor4D)).toThrow(/^upsampleNearest2x: 'y' must be rank 4/);
    expect(() => switchUnpool(z([1, 2, 2, 1]), tf.zeros([4], 'int32'), [1, 4, 4, 1])).toThrow(
      "switchUnpool: 'switches' must be rank 4 (NHWC) but has shape [4]",
    );
  });

  it('switchUnpool: dtype and shape of switches, and outShape', () => {
    expect(() => switchUnpool(z([1, 2, 2, 3]), z([1, 2, 2, 3]), [1, 4, 4, 3])).toThrow(
      "switchUnpool: 'switches' must be int32 but is float32 (shape [1,2,2,3])",
    );
    expect(() => switchUnpool(z([1, 2, 2, 3]), z([1, 2, 3, 3], 'int32'), [1, 4, 4, 3])).toThrow(
      "switchUnpool: 'switches' has shape [1,2,3,3] but 'y' has [1,2,2,3]",
    );
    expect(() => switchUnpool(z([1, 2, 2, 3]), z([1, 2, 2, 3], 'int32'), [1, 4, 5, 3])).toThrow(
      "switchUnpool: 'outShape' is [1,4,5,3] but 'y' has [1,2,2,3] (expected [1,4,4,3])",
    );
  });

  it('non-tensors and integer data', () => {
    expect(() => maxPool2x2([[1]] as unknown as tf.Tensor4D)).toThrow("maxPool2x2: 'x' must be a tf.Tensor but is an array of length 1");
    expect(() => ratioUnpool(z([1, 1, 1, 1], 'int32'), z([1, 2, 2, 1]), z([1, 1, 1, 1]))).toThrow(
      "ratioUnpool: 'y' must be float32 but is int32 (shape [1,1,1,1])",
    );
  });
});
