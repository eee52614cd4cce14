import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON, optimizerSlotCount, SGD_MOMENTUM, type OptimizerRule } from '@unpool/models';
import * as ort from 'onnxruntime-node';
import { GRAD_RULES } from './autodiff/grad_rules.js';
import { Tape, type Value } from './autodiff/tape.js';
import { attr, valueInfo } from './graph_builder.js';
import { encodeModel } from './model_proto.js';

export type GraphOptimizer = OptimizerRule;

/** Slot input names of a parameter, `<param>#<slot index>` as the tfjs optimizer checkpoints them. */
export function slotNames(rule: OptimizerRule, param: string): string[] {
  return Array.from({ length: optimizerSlotCount(rule) }, (_, i) => `${param}#${i}`);
}

/**
 * One optimizer update as nodes, operation for operation what `Optimizer.apply` does in tfjs (same order,
 * same float32 constants), with `lr` the step size of `optimizerStepSize`:
 *   adam: m = m b1 + g (1 - b1); v = v b2 + g^2 (1 - b2); p = p - m / (sqrt(v) + eps) lr
 *   sgd:  u = u momentum + g; p = p - u lr
 * and weight decay added to the gradient first (g + p wd).
 */
export function emitOptimizerUpdate(t: Tape, rule: OptimizerRule, p: Value, g0: Value, slots: Value[], lr: Value): { param: Value; slots: Value[] } {
  const mul = (a: Value, b: Value) => t.node('Mul', [a, b])[0];
  const add = (a: Value, b: Value) => t.node('Add', [a, b])[0];
  const wd = rule.weightDecay ?? 0;
  const g = wd > 0 ? add(g0, mul(p, t.float(wd))) : g0;
  if (rule.name === 'adam') {
    const [m0, v0] = slots;
    const m = add(mul(m0, t.float(ADAM_BETA1)), mul(g, t.float(1 - ADAM_BETA1)));
    const v = add(mul(v0, t.float(ADAM_BETA2)), mul(mul(g, g), t.float(1 - ADAM_BETA2)));
    const [denom] = t.node('Add', [t.node('Sqrt', [v])[0], t.float(ADAM_EPSILON)]);
    const [step] = t.node('Div', [m, denom]);
    return { param: t.node('Sub', [p, mul(step, lr)])[0], slots: [m, v] };
  }
  const u = add(mul(slots[0], t.float(rule.momentum ?? SGD_MOMENTUM)), g);
  return { param: t.node('Sub', [p, mul(u, lr)])[0], slots: [u] };
}

/** One parameter's part in `emitFlatOptimizerUpdate`. */
export interface ParamUpdate {
  param: Value;
  grad: Value;
  slots: Value[];
  shape: readonly number[];
}

/**
 * Parameters per fused update: a WebGPU shader binds at most 16 storage buffers, and the Split back to the
 * parameters binds its input and one buffer per output.
 */
export const FUSED_UPDATE_PARAMS = 15;

/**
 * The update of many parameters as few: in groups of `FUSED_UPDATE_PARAMS`, every tensor flattened and
 * concatenated, one `emitOptimizerUpdate` over the vector, the results split back to their shapes. The
 * update is elementwise, so each element goes through the same operations as alone; what changes is the
 * node count (SegNet-mini: 4 updates instead of 50, about 12 nodes each, where the per-node cost outweighed
 * the arithmetic on 0.3 M floats).
 */
export function emitFlatOptimizerUpdate(t: Tape, rule: OptimizerRule, parts: readonly ParamUpdate[], lr: Value): Array<{ param: Value; slots: Value[] }> {
  const out: Array<{ param: Value; slots: Value[] }> = [];
  for (let i = 0; i < parts.length; i += FUSED_UPDATE_PARAMS) out.push(...fusedUpdate(t, rule, parts.slice(i, i + FUSED_UPDATE_PARAMS), lr));
  return out;
}

function fusedUpdate(t: Tape, rule: OptimizerRule, parts: readonly ParamUpdate[], lr: Value): Array<{ param: Value; slots: Value[] }> {
  if (parts.length === 1) return [emitOptimizerUpdate(t, rule, parts[0].param, parts[0].grad, parts[0].slots, lr)];
  // Vectors (gamma, beta, biases) are already flat: no Reshape node for them either way.
  const flat = (v: Value, shape: readonly number[]) => (shape.length === 1 ? v : t.node('Reshape', [v, t.int64([-1])])[0]);
  const joined = (pick: (p: ParamUpdate) => Value) => t.node('Concat', parts.map((p) => flat(pick(p), p.shape)), [attr.int('axis', 0)])[0];
  const updated = emitOptimizerUpdate(
    t,
    rule,
    joined((p) => p.param),
    joined((p) => p.grad),
    parts[0].slots.map((_, k) => joined((p) => p.slots[k])),
    lr,
  );
  const sizes = t.int64(parts.map((p) => p.shape.reduce((a, b) => a * b, 1)));
  const shaped = (piece: Value, shape: readonly number[]) => (shape.length === 1 ? piece : t.node('Reshape', [piece, t.int64([...shape])])[0]);
  const split = (v: Value) => t.node('Split', [v, sizes], [attr.int('axis', 0)], parts.length).map((piece, i) => shaped(piece, parts[i].shape));
  const params = split(updated.param);
  const slots = updated.slots.map(split);
  return parts.map((_, i) => ({ param: params[i], slots: slots.map((s) => s[i]) }));
}

/**
 * Runs one update of a flat parameter through the graph's optimizer nodes in ORT: the cross-check of the
 * in-graph optimizer against the tfjs `Optimizer` (packages/engine-onnxruntime/test/engines.test.ts).
 */
export async function runOptimizerUpdate(
  rule: OptimizerRule,
  values: { param: Float32Array; grad: Float32Array; slots: Float32Array[] },
  lr: number,
): Promise<{ param: Float32Array; slots: Float32Array[] }> {
  const t = new Tape(GRAD_RULES);
  const n = values.param.length;
  const names = slotNames(rule, 'p');
  const out = emitOptimizerUpdate(t, rule, t.input('p'), t.input('g'), names.map((s) => t.input(s)), t.input(LR_INPUT));
  t.node('Identity', [out.param], [], 1, ['next.p']);
  out.slots.forEach((s, i) => t.node('Identity', [s], [], 1, [`next.${names[i]}`]));
  const bytes = encodeModel(t.g, {
    name: `optimizer_${rule.name}`,
    doc: 'one optimizer update',
    inputs: [valueInfo('p', [n]), valueInfo('g', [n]), ...names.map((s) => valueInfo(s, [n])), valueInfo(LR_INPUT, [])],
    outputs: [valueInfo('next.p', [n]), ...names.map((s) => valueInfo(`next.${s}`, [n]))],
  });
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  try {
    const feeds: Record<string, ort.Tensor> = {
      p: new ort.Tensor('float32', values.param, [n]),
      g: new ort.Tensor('float32', values.grad, [n]),
      [LR_INPUT]: new ort.Tensor('float32', Float32Array.of(lr), []),
    };
    names.forEach((s, i) => (feeds[s] = new ort.Tensor('float32', values.slots[i], [n])));
    const r = await session.run(feeds);
    return { param: r['next.p'].data as Float32Array, slots: names.map((s) => r[`next.${s}`].data as Float32Array) };
  } finally {
    await session.release();
  }
}

const LR_INPUT = 'lr';
