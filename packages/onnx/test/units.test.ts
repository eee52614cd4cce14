import * as tf from '@tensorflow/tfjs';
import { describe, expect, test } from 'vitest';
import { checkPasses, compareLogits, sessionOptionsFor } from '../src/index.js';
import { foldBatchNorm, hwioToOihw } from '../src/conv_weights.js';
import { GraphBuilder } from '../src/graph_builder.js';
import { nchwToNhwc, nhwcToNchw } from '../src/layout.js';
import { median } from '../src/median.js';
import { decodeTensor, floatTensor, int64Tensor } from '../src/tensor_proto.js';
import { encodeOnnx } from '../src/onnx_schema.js';

describe('pure helpers', () => {
  test('hwioToOihw equals tf.transpose(kernel, [3,2,0,1])', () => {
    const shape = [3, 3, 2, 4];
    const values = Float32Array.from({ length: 72 }, (_, i) => i * 0.5 - 7);
    const { data, dims } = hwioToOihw(values, shape);
    expect(dims).toEqual([4, 2, 3, 3]);
    expect(Array.from(data)).toEqual(Array.from(tf.tidy(() => tf.transpose(tf.tensor4d(values, [3, 3, 2, 4]), [3, 2, 0, 1]).dataSync())));
  });

  test('foldBatchNorm scales each output channel and moves the mean into the bias', () => {
    // Two output channels, one weight each; s = gamma / sqrt(var + eps) with eps 0: s0 = 2/2 = 1, s1 = 3/1 = 3.
    const { weight, bias } = foldBatchNorm(Float32Array.from([5, 7]), [2, 1, 1, 1], { gamma: [2, 3], beta: [1, -1], mean: [4, 2], variance: [4, 1] }, 0);
    expect(Array.from(weight)).toEqual([5, 21]);
    expect(Array.from(bias)).toEqual([1 - 4, -1 - 6]);
  });

  test('layout transposes are inverse and move channels', () => {
    const shape = [2, 2, 3, 2];
    const nhwc = Array.from({ length: 24 }, (_, i) => i);
    const nchw = nhwcToNchw(nhwc, shape);
    // NHWC element [0,0,1,1] (index 3) is NCHW element [0,1,0,1] (index 1*6 + 1 = 7).
    expect(nchw[7]).toBe(3);
    expect(Array.from(nchwToNhwc(nchw, [2, 2, 2, 3]))).toEqual(nhwc);
  });

  test('compareLogits: abs/rel diff, argmax agreement and non-finite values', () => {
    // Two pixels of three classes. Pixel 0 agrees on class 2; pixel 1 flips from class 0 to class 1.
    const a = [0, 1, 3, 2, 1, 0];
    const b = [0, 1, 3.001, 2, 2.5, 0];
    const r = compareLogits(a, b, 3, 1e-3);
    expect(r.maxAbsDiff).toBeCloseTo(1.5, 6);
    expect(r.maxRelDiff).toBeCloseTo(1.5 / 2.5, 6);
    expect(r.argmaxAgreement).toBe(0.5);
    expect(r.nonFinite).toBe(0);
    const n = compareLogits([NaN, 1, Infinity], [0, 1, Infinity], 3, 1e-3);
    expect(n.nonFinite).toBe(1);
    expect(Number.isFinite(n.maxAbsDiff) && Number.isFinite(n.maxRelDiff)).toBe(true);
    expect(() => compareLogits([1, 2], [1], 1, 1e-3)).toThrow(/2 reference values vs 1/);
    // Values beyond the tolerance, as a fraction of the finite pairs: 1.5 and 0.001 > 5e-4 of six.
    expect(compareLogits(a, b, 3, 5e-4).overTolerance).toBeCloseTo(2 / 6, 12);
    expect(compareLogits(a, b, 3, 1e-3).overTolerance).toBeCloseTo(1 / 6, 12);
    expect(n.overTolerance).toBe(0);
  });

  test('checkPasses: only switch unpooling may have a few logits beyond the limit (a moved switch)', () => {
    const ok = { nonFinite: 0, maxAbsDiff: 3e-6, argmaxAgreement: 1, overTolerance: 0 };
    const flipped = { ...ok, maxAbsDiff: 0.3, overTolerance: 0.0017 };
    for (const unpool of ['switch', 'ratio', 'nearest']) expect(checkPasses(ok, unpool)).toBe(true);
    expect(checkPasses(flipped, 'switch')).toBe(true);
    expect(checkPasses(flipped, 'ratio')).toBe(false);
    expect(checkPasses(flipped, 'nearest')).toBe(false);
    expect(checkPasses({ ...flipped, overTolerance: 0.02 }, 'switch')).toBe(false);
    expect(checkPasses({ ...flipped, argmaxAgreement: 0.998 }, 'switch')).toBe(false);
    expect(checkPasses({ ...ok, nonFinite: 1 }, 'ratio')).toBe(false);
  });

  test('CPU workers spin-wait only when the caller says its cores are its own; GPU EPs never set it', () => {
    const spinning = (o: ReturnType<typeof sessionOptionsFor>) => (o.extra as { session?: Record<string, string> } | undefined)?.session?.['intra_op.allow_spinning'];
    expect(spinning(sessionOptionsFor('cpu', { threads: 2 }))).toBe('0');
    expect(spinning(sessionOptionsFor('cpu', { threads: 2, spinWait: true }))).toBe('1');
    expect(sessionOptionsFor('cpu', { threads: 2 }).intraOpNumThreads).toBe(2);
    expect(spinning(sessionOptionsFor('webgpu', { spinWait: true }))).toBeUndefined();
  });

  test('median of odd and even samples', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/empty/);
  });

  test('TensorProto round trip through the schema, float and int64', () => {
    const f = decodeTensor(encodeOnnx('TensorProto', { ...floatTensor('f', [2, 2], [1.5, -2, 0, 3.25]) }));
    expect(f).toEqual({ name: 'f', dims: [2, 2], type: 'float32', data: Float32Array.from([1.5, -2, 0, 3.25]) });
    const i = decodeTensor(encodeOnnx('TensorProto', { ...int64Tensor('i', [3], [0, 7, 2 ** 40]) }));
    expect(i).toEqual({ name: 'i', dims: [3], type: 'int64', data: BigInt64Array.from([0n, 7n, 2n ** 40n]) });
    // float32 little-endian: 1.5 is 0x3FC00000.
    expect(Array.from(floatTensor('g', [1], [1.5]).raw_data)).toEqual([0x00, 0x00, 0xc0, 0x3f]);
  });

  test('GraphBuilder refuses to rewire the graph', () => {
    const g = new GraphBuilder();
    g.input('x');
    g.node('Relu', ['x'], ['y']);
    expect(() => g.node('Relu', ['x'], ['y'])).toThrow(/'y' is produced twice/);
    expect(() => g.node('Relu', ['nope'], ['z'])).toThrow(/reads 'nope' before/);
    g.sharedFloat('k', [1], [2]);
    expect(g.sharedFloat('k', [1], [2])).toBe('k');
    expect(g.initializers.length).toBe(1);
    expect(() => g.sharedFloat('k', [1], [3])).toThrow(/redefined/);
  });
});
