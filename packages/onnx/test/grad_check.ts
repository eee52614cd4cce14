import * as ort from 'onnxruntime-node';
import { GRAD_RULES } from '../src/autodiff/grad_rules.js';
import { Tape, type GradRule, type Value } from '../src/autodiff/tape.js';
import { attr, valueInfo } from '../src/graph_builder.js';
import { encodeModel } from '../src/model_proto.js';
import { rng } from './helpers.js';

/**
 * Finite-difference checks of the tape's gradient rules in ONNX Runtime. A test graph computes
 * L = sum(f(inputs) * r) with r a fixed random tensor, so every output element's gradient matters and
 * none cancels; the generated backward gives dL/dinput, and central differences of L (float32, step
 * `eps`) give the reference, element by element.
 */

export interface CheckInput {
  name: string;
  dims: number[];
  data: Float32Array | BigInt64Array | Int32Array;
  /** Differentiable: gets a gradient and a finite-difference check. */
  grad?: boolean;
  type?: 'FLOAT' | 'INT64' | 'INT32';
}

export interface GradCheck {
  /** Analytic gradients by input name (the generated backward). */
  analytic: Map<string, Float32Array>;
  /** Central differences by input name. */
  numeric: Map<string, Float32Array>;
  /** max |analytic - numeric| / max |numeric| per input. */
  error: Map<string, number>;
}

function ortTensor(i: CheckInput): ort.Tensor {
  if (i.data instanceof BigInt64Array) return new ort.Tensor('int64', i.data, i.dims);
  if (i.data instanceof Int32Array) return new ort.Tensor('int32', i.data, i.dims);
  return new ort.Tensor('float32', i.data, i.dims);
}

/** The projection L = sum(y * r) as one recorded operation (a test harness, not a SegNet op). */
function project(t: Tape, y: Value, r: Value): Value {
  return t.composite(
    [y, r],
    (e) => ({ outputs: [e.node('ReduceSum', [e.node('Mul', [y, r])[0]], [attr.int('keepdims', 0)], 1, ['L'])[0]], saved: null }),
    (e, _in, _out, _s, d) => [e.node('Mul', [r, d[0]!])[0], null],
  )[0];
}

/**
 * Builds `f` on a tape (with `rules`, the real table by default: a mutation check passes a modified one),
 * then compares its generated gradients with central differences. `outDims` is f's output shape, or
 * 'scalar' for a loss, which is checked as is (no projection). `skip` leaves elements out of the numeric
 * comparison where f is not differentiable by construction (divNoNan's b == 0).
 */
export async function gradCheck(
  inputs: CheckInput[],
  outDims: number[] | 'scalar',
  f: (t: Tape, v: Record<string, Value>) => Value,
  options: { eps?: number; seed?: number; rules?: Readonly<Record<string, GradRule>>; skip?: (name: string, index: number) => boolean } = {},
): Promise<GradCheck> {
  const eps = options.eps ?? 1e-2;
  const t = new Tape(options.rules ?? GRAD_RULES);
  const values = Object.fromEntries(inputs.map((i) => [i.name, t.input(i.name, { differentiable: i.grad ?? false, dims: i.dims })]));
  const y = f(t, values);
  const extra: CheckInput[] = [];
  let loss = y;
  if (outDims !== 'scalar') {
    const rand = rng(options.seed ?? 99);
    const n = outDims.reduce((a, b) => a * b, 1);
    extra.push({ name: 'r', dims: outDims, data: Float32Array.from({ length: n }, () => rand() * 2 - 1) });
    loss = project(t, y, t.input('r'));
  } else {
    t.node('Identity', [y], [], 1, ['L']);
  }
  const wrt = inputs.filter((i) => i.grad);
  t.backward(loss, wrt.map((i) => values[i.name]), wrt.map((i) => `d.${i.name}`));
  const all = [...inputs, ...extra];
  const bytes = encodeModel(t.g, {
    name: 'grad_check',
    doc: 'gradient rule check',
    inputs: all.map((i) => valueInfo(i.name, i.dims, i.type ?? (i.data instanceof BigInt64Array ? 'INT64' : i.data instanceof Int32Array ? 'INT32' : 'FLOAT'))),
    outputs: [valueInfo('L', []), ...wrt.map((i) => valueInfo(`d.${i.name}`, i.dims))],
  });
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, graphOptimizationLevel: 'basic' });
  try {
    const feeds = (over?: { name: string; data: Float32Array }) =>
      Object.fromEntries(all.map((i) => [i.name, ortTensor(over && over.name === i.name ? { ...i, data: over.data } : i)]));
    const base = await session.run(feeds());
    const analytic = new Map(wrt.map((i) => [i.name, base[`d.${i.name}`].data as Float32Array]));
    const numeric = new Map<string, Float32Array>();
    const error = new Map<string, number>();
    for (const i of wrt) {
      const x = i.data as Float32Array;
      const num = new Float32Array(x.length);
      const ana = analytic.get(i.name)!;
      let worst = 0;
      let scale = 0;
      for (let k = 0; k < x.length; k++) {
        if (options.skip?.(i.name, k)) {
          num[k] = ana[k];
          continue;
        }
        const at = async (delta: number) => {
          const data = Float32Array.from(x);
          data[k] += delta;
          return ((await session.run(feeds({ name: i.name, data }))).L.data as Float32Array)[0];
        };
        num[k] = ((await at(eps)) - (await at(-eps))) / (2 * eps);
        worst = Math.max(worst, Math.abs(num[k] - ana[k]));
        scale = Math.max(scale, Math.abs(num[k]));
      }
      numeric.set(i.name, num);
      error.set(i.name, worst / Math.max(scale, 1e-6));
    }
    return { analytic, numeric, error };
  } finally {
    await session.release();
  }
}

/** Seeded floats in [lo, hi), kept at least `gap` away from zero (no ReLU kink within a finite-difference step). */
export function floats(n: number, seed: number, lo = -1, hi = 1, gap = 0): Float32Array {
  const rand = rng(seed);
  return Float32Array.from({ length: n }, () => {
    let v = lo + (hi - lo) * rand();
    if (Math.abs(v) < gap) v = v < 0 ? -gap - Math.abs(v) : gap + v;
    return v;
  });
}
