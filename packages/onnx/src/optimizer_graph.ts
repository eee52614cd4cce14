import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON, optimizerSlotCount, SGD_MOMENTUM, type OptimizerRule } from '@unpool/models';
import * as ort from 'onnxruntime-node';
import { GRAD_RULES } from './autodiff/grad_rules.js';
import { Tape, type Value } from './autodiff/tape.js';
import { valueInfo } from './graph_builder.js';
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
