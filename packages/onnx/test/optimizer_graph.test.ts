import { describe, expect, test } from 'vitest';
import * as ort from 'onnxruntime-node';
import { optimizerSlotCount, type OptimizerRule } from '@unpool/models';
import { Tape, type Value } from '../src/autodiff/tape.js';
import { GRAD_RULES } from '../src/autodiff/grad_rules.js';
import { valueInfo, type ValueInfoObject } from '../src/graph_builder.js';
import { encodeModel } from '../src/model_proto.js';
import { emitFlatOptimizerUpdate, emitOptimizerUpdate, FUSED_UPDATE_PARAMS } from '../src/optimizer_graph.js';
import { floats } from './grad_check.js';

/**
 * The fused update (parameters concatenated, one update, split back) against the update of each parameter
 * alone, in one ORT session: the arithmetic is elementwise, so every output must be bit-identical. More
 * parameters than one group holds, of mixed ranks, so the grouping and the reshapes are exercised.
 */

const SHAPES = Array.from({ length: FUSED_UPDATE_PARAMS + 4 }, (_, i) => (i % 3 === 0 ? [3, 3, 2, 4] : i % 3 === 1 ? [4] : [1, 1, 4, 5]));

async function bothUpdates(rule: OptimizerRule) {
  const t = new Tape(GRAD_RULES);
  const slotCount = optimizerSlotCount(rule);
  const lr = t.input('lr');
  const parts = SHAPES.map((shape, i) => ({
    param: t.input(`p${i}`),
    grad: t.input(`g${i}`),
    slots: Array.from({ length: slotCount }, (_, k) => t.input(`s${i}_${k}`)),
    shape,
  }));
  const outputs: ValueInfoObject[] = [];
  const emit = (prefix: string, i: number, r: { param: Value; slots: Value[] }) => {
    for (const [k, v] of [r.param, ...r.slots].entries()) {
      const name = `${prefix}${i}_${k}`;
      t.node('Identity', [v], [], 1, [name]);
      outputs.push(valueInfo(name, SHAPES[i]));
    }
  };
  emitFlatOptimizerUpdate(t, rule, parts, lr).forEach((r, i) => emit('fused', i, r));
  parts.forEach((p, i) => emit('alone', i, emitOptimizerUpdate(t, rule, p.param, p.grad, p.slots, lr)));
  const inputs = [valueInfo('lr', []), ...parts.flatMap((p, i) => [p.param, p.grad, ...p.slots].map((v) => valueInfo(v.name, SHAPES[i])))];
  const splits = t.g.nodes.filter((n) => n.op_type === 'Split');
  const session = await ort.InferenceSession.create(encodeModel(t.g, { name: 'opt', doc: '', inputs, outputs }));
  const feeds: Record<string, ort.Tensor> = { lr: new ort.Tensor('float32', Float32Array.of(3e-3), []) };
  SHAPES.forEach((shape, i) => {
    const n = shape.reduce((a, b) => a * b, 1);
    feeds[`p${i}`] = new ort.Tensor('float32', floats(n, 10 * i + 1), shape);
    feeds[`g${i}`] = new ort.Tensor('float32', floats(n, 10 * i + 2), shape);
    // Adam's second moment is non-negative.
    for (let k = 0; k < slotCount; k++) feeds[`s${i}_${k}`] = new ort.Tensor('float32', floats(n, 10 * i + 3 + k, k === 1 ? 0 : -1, 1), shape);
  });
  const result = await session.run(feeds);
  await session.release();
  return { result, splits, slotCount };
}

describe('emitFlatOptimizerUpdate', () => {
  for (const rule of [{ name: 'adam', weightDecay: 1e-2 }, { name: 'sgd', momentum: 0.8 }] as OptimizerRule[]) {
    test(`${rule.name}: bit-identical to each parameter's own update, in groups a WebGPU shader can bind`, async () => {
      const { result, splits, slotCount } = await bothUpdates(rule);
      for (let i = 0; i < SHAPES.length; i++) {
        for (let k = 0; k <= slotCount; k++) {
          const fused = result[`fused${i}_${k}`];
          expect(fused.dims, `param ${i} output ${k}`).toEqual(SHAPES[i]);
          expect(Array.from(fused.data as Float32Array), `param ${i} output ${k}`).toEqual(Array.from(result[`alone${i}_${k}`].data as Float32Array));
        }
      }
      // Two groups (15 + 4), each split back once per output (param and slots).
      expect(splits).toHaveLength(2 * (1 + slotCount));
      for (const s of splits) expect(s.output.length).toBeLessThanOrEqual(FUSED_UPDATE_PARAMS);
    });
  }
});
