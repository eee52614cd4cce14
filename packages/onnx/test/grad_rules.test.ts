import { describe, expect, test } from 'vitest';
import { batchNormTraining, channelAffine, channelDot, divNoNan, weightedCrossEntropy } from '../src/autodiff/composites.js';
import { GRAD_RULES } from '../src/autodiff/grad_rules.js';
import { Tape } from '../src/autodiff/tape.js';
import * as ort from 'onnxruntime-node';
import { attr, valueInfo } from '../src/graph_builder.js';
import { encodeModel } from '../src/model_proto.js';
import { emitMaxPool, emitNearestUpsample } from '../src/unpool_nodes.js';
import { floats, gradCheck, type CheckInput } from './grad_check.js';
import { rng } from './helpers.js';

/**
 * Every gradient rule and composite against central finite differences of its own forward in ONNX Runtime,
 * in float32 as the SegNet graphs run (the tape emits float32 constants), step 1e-2. Inputs keep every
 * non-smooth point (ReLU's 0, ties of a max) further than the step away. The bound, 1% of the largest
 * gradient, is far below what a sign flip or a dropped term costs (the gradient's own size): the mutation
 * checks of issue 13 (a flipped sign in the BN and divNoNan rules, a dropped fan-in term) fail here.
 */

const TOL = 1e-2;
const size = (dims: number[]) => dims.reduce((a, b) => a * b, 1);
const input = (name: string, dims: number[], seed: number, grad = true, lo = -1, hi = 1, gap = 0): CheckInput => ({
  name,
  dims,
  data: floats(size(dims), seed, lo, hi, gap),
  grad,
});

/** Distinct values 0.05 apart in shuffled order: no max pooling tie within a finite-difference step. */
function spread(dims: number[], seed: number): CheckInput {
  const rand = rng(seed);
  const n = size(dims);
  const values = Array.from({ length: n }, (_, i) => 0.05 * (i - n / 2));
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [values[i], values[j]] = [values[j], values[i]];
  }
  return { name: 'x', dims, data: Float32Array.from(values), grad: true };
}

function expectClose(errors: Map<string, number>) {
  expect(errors.size).toBeGreaterThan(0);
  for (const [name, e] of errors) expect(e, name).toBeLessThan(TOL);
}

const conv3 = [attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1]), attr.ints('strides', [1, 1])];

describe('per-op gradient rules vs central differences', () => {
  test('Conv 3x3 same: input and weight', async () => {
    const { error } = await gradCheck([input('x', [2, 3, 5, 4], 1), input('w', [4, 3, 3, 3], 2)], [2, 4, 5, 4], (t, v) => t.op('Conv', [v.x, v.w], conv3)[0]);
    expectClose(error);
  });

  test('Conv 5x5 same (pad 2: shifts of two rows and columns), more channels out than in', async () => {
    const attrs = [attr.ints('kernel_shape', [5, 5]), attr.ints('pads', [2, 2, 2, 2]), attr.ints('strides', [1, 1])];
    const { error } = await gradCheck([input('x', [2, 2, 6, 7], 30), input('w', [3, 2, 5, 5], 31)], [2, 3, 6, 7], (t, v) => t.op('Conv', [v.x, v.w], attrs)[0]);
    expectClose(error);
  });

  test('Conv 1x1 with bias: input, weight and bias', async () => {
    const attrs = [attr.ints('kernel_shape', [1, 1]), attr.ints('strides', [1, 1])];
    const { error } = await gradCheck(
      [input('x', [2, 3, 4, 4], 3), input('w', [5, 3, 1, 1], 4), input('b', [5], 5)],
      [2, 5, 4, 4],
      (t, v) => t.op('Conv', [v.x, v.w, v.b], attrs)[0],
    );
    expect([...error.keys()]).toEqual(['x', 'w', 'b']);
    expectClose(error);
  });

  test('Relu', async () => {
    const { error } = await gradCheck([input('x', [2, 3, 4, 4], 6, true, -1, 1, 0.05)], [2, 3, 4, 4], (t, v) => t.op('Relu', [v.x])[0]);
    expectClose(error);
  });

  test('MaxPool 2x2 (through its Indices)', async () => {
    const { error } = await gradCheck([spread([2, 3, 4, 6], 7)], [2, 3, 2, 3], (t, v) => emitMaxPool(t, v.x, true).pooled);
    expectClose(error);
  });

  test('MaxUnpool (switch unpooling) w.r.t. the unpooled values', async () => {
    const x = { ...spread([2, 3, 4, 6], 8), grad: false };
    const { error } = await gradCheck([x, input('y', [2, 3, 2, 3], 9)], [2, 3, 4, 6], (t, v) => {
      const skip = emitMaxPool(t, v.x, true);
      return t.op('MaxUnpool', [v.y, skip.indices!], [attr.ints('kernel_shape', [2, 2]), attr.ints('strides', [2, 2])])[0];
    });
    expectClose(error);
  });

  test('Resize nearest x2', async () => {
    const { error } = await gradCheck([input('y', [2, 3, 2, 3], 10)], [2, 3, 4, 6], (t, v) => emitNearestUpsample(t, v.y));
    expectClose(error);
  });

  test.each(['Add', 'Sub', 'Mul'])('%s, both operands', async (op) => {
    const { error } = await gradCheck([input('a', [2, 3, 4], 11), input('b', [2, 3, 4], 12)], [2, 3, 4], (t, v) => t.op(op, [v.a, v.b])[0]);
    expect(error.size).toBe(2);
    expectClose(error);
  });

  test('Div, both operands', async () => {
    const { error } = await gradCheck([input('a', [2, 3, 4], 13), input('b', [2, 3, 4], 14, true, 0.5, 1.5)], [2, 3, 4], (t, v) => t.op('Div', [v.a, v.b])[0]);
    expectClose(error);
  });

  test('Neg', async () => {
    const { error } = await gradCheck([input('a', [2, 3, 4], 15)], [2, 3, 4], (t, v) => t.op('Neg', [v.a])[0]);
    expectClose(error);
  });

  test('Where, both branches', async () => {
    const c = input('c', [2, 3, 4], 16, false);
    const { error } = await gradCheck([c, input('a', [2, 3, 4], 17), input('b', [2, 3, 4], 18)], [2, 3, 4], (t, v) => {
      const [cond] = t.node('Greater', [v.c, t.float(0)]);
      return t.op('Where', [cond, v.a, v.b])[0];
    });
    expect(error.size).toBe(2);
    expectClose(error);
  });

  test('Transpose and Reshape', async () => {
    const { error } = await gradCheck([input('x', [2, 3, 4, 5], 19)], [6, 20], (t, v) => {
      const [tr] = t.op('Transpose', [v.x], [attr.ints('perm', [0, 2, 3, 1])]);
      return t.op('Reshape', [tr, t.int64([6, -1])])[0];
    });
    expectClose(error);
  });
});

async function runGraph(t: Tape, inputs: Record<string, { data: Float32Array; dims: number[] }>, outDims: number[]): Promise<ort.Tensor> {
  const bytes = encodeModel(t.g, { name: 'helper', doc: '', inputs: Object.entries(inputs).map(([k, v]) => valueInfo(k, v.dims)), outputs: [valueInfo('out', outDims)] });
  const session = await ort.InferenceSession.create(bytes);
  const out = (await session.run(Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, new ort.Tensor('float32', v.data, v.dims)])))).out;
  await session.release();
  return out;
}

describe('per-channel helpers', () => {
  test('channelAffine is x * scale + shift per channel, to float32 rounding', async () => {
    const [n, c, hw] = [2, 3, 10];
    const x = floats(n * c * hw, 42, -3, 3, 0);
    const scale = floats(c, 43, -2, 2, 0);
    const shift = floats(c, 44, -1, 1, 0);
    const t = new Tape(GRAD_RULES);
    const perChannel = (name: string) => t.node('Reshape', [t.input(name), t.int64([1, c, 1, 1])])[0];
    t.node('Identity', [channelAffine(t, t.input('x'), perChannel('scale'), t.input('shift'), c)], [], 1, ['out']);
    const out = await runGraph(t, { x: { data: x, dims: [n, c, 2, 5] }, scale: { data: scale, dims: [c] }, shift: { data: shift, dims: [c] } }, [n, c, 2, 5]);
    const y = out.data as Float32Array;
    for (let i = 0; i < y.length; i++) {
      const ch = Math.floor(i / hw) % c;
      expect(Math.abs(y[i] - (x[i] * scale[ch] + shift[ch]))).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(x[i] * scale[ch])));
    }
  });

  test('channelDot is the per-channel sum of products over N, H, W, against a float64 loop', async () => {
    const [n, c, h, w] = [3, 4, 5, 6];
    const a = floats(n * c * h * w, 40, -1, 1, 0);
    const b = floats(n * c * h * w, 41, -1, 1, 0);
    const t = new Tape(GRAD_RULES);
    t.node('Identity', [channelDot(t, t.input('a'), t.input('b'))], [], 1, ['out']);
    const out = await runGraph(t, { a: { data: a, dims: [n, c, h, w] }, b: { data: b, dims: [n, c, h, w] } }, [1, c, 1, 1]);
    expect(out.dims).toEqual([1, c, 1, 1]);
    for (let ch = 0; ch < c; ch++) {
      let sum = 0;
      for (let i = 0; i < n; i++) for (let p = 0; p < h * w; p++) sum += a[(i * c + ch) * h * w + p] * b[(i * c + ch) * h * w + p];
      expect((out.data as Float32Array)[ch]).toBeCloseTo(sum, 4);
    }
  });
});

describe('composite gradient rules vs central differences', () => {
  test('training batch norm: z, gamma, beta', async () => {
    const { error } = await gradCheck(
      [input('z', [2, 3, 4, 4], 20, true, -2, 2), input('gamma', [3], 21, true, 0.5, 1.5), input('beta', [3], 22)],
      [2, 3, 4, 4],
      (t, v) => batchNormTraining(t, v.z, v.gamma, v.beta).y,
      { eps: 5e-3 },
    );
    expectClose(error);
  });

  test('divNoNan: both operands, zero divisors included (gradient 0 there)', async () => {
    const b = input('b', [2, 3, 4], 23, true, 0.5, 1.5);
    const zeros = [0, 5, 11, 17];
    zeros.forEach((k) => ((b.data as Float32Array)[k] = 0));
    const check = await gradCheck([input('a', [2, 3, 4], 24), b], [2, 3, 4], (t, v) => divNoNan(t, v.a, v.b), {
      // At b == 0 the function jumps (0 -> a / eps): no finite difference exists there.
      skip: (name, k) => name === 'b' && zeros.includes(k),
    });
    expectClose(check.error);
    for (const k of zeros) {
      expect(Math.abs(check.analytic.get('a')![k])).toBe(0);
      expect(Math.abs(check.numeric.get('a')![k])).toBe(0);
      expect(Math.abs(check.analytic.get('b')![k])).toBe(0);
    }
  });

  test('weighted cross-entropy: logits (void pixels and a zero class weight included)', async () => {
    const classes = 5;
    const rand = rng(25);
    const labels = Int32Array.from({ length: 2 * 3 * 4 }, () => (rand() < 0.15 ? 255 : Math.floor(rand() * classes)));
    const weights = Float32Array.from([0.5, 1.5, 0, 1, 2]);
    const check = await gradCheck(
      [
        input('logits', [2, classes, 3, 4], 26, true, -3, 3),
        { name: 'labels', dims: [2, 3, 4], data: labels },
        { name: 'w', dims: [classes], data: weights },
      ],
      'scalar',
      (t, v) => weightedCrossEntropy(t, v.logits, v.labels, v.w, classes, 'loss'),
    );
    expectClose(check.error);
  });
});

describe('the tape', () => {
  test('fan-in accumulates: x used by two consumers gets both contributions', async () => {
    // y = x * x + relu(x): dy/dx = 2x + [x > 0], only right if both paths are summed.
    const { error, analytic } = await gradCheck([input('x', [3, 4], 27, true, -1, 1, 0.05)], [3, 4], (t, v) => {
      const [sq] = t.op('Mul', [v.x, v.x]);
      return t.op('Add', [sq, t.op('Relu', [v.x])[0]])[0];
    });
    expectClose(error);
    expect(analytic.get('x')!.some((g) => g !== 0)).toBe(true);
  });

  test('an op without a rule, or a weight no gradient reaches, is a build error', () => {
    const t = new Tape(GRAD_RULES);
    const x = t.input('x', { differentiable: true });
    expect(() => t.op('Softplus', [x])).toThrow(/no gradient rule for ONNX op Softplus/);
    const unused = t.input('u', { differentiable: true });
    const [y] = t.op('Relu', [x]);
    expect(() => t.backward(y, [unused], ['d.u'])).toThrow(/no gradient reaches 'u'/);
  });
});
