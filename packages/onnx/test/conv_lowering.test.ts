import { readFileSync } from 'node:fs';
import { segnetConfig, segnetPlan } from '@unpool/models';
import * as ort from 'onnxruntime-node';
import { describe, expect, test } from 'vitest';
import { GRAD_RULES } from '../src/autodiff/grad_rules.js';
import { Tape } from '../src/autodiff/tape.js';
import { emitConv, type ConvLowering } from '../src/conv_nodes.js';
import { attr, valueInfo } from '../src/graph_builder.js';
import { decodeOnnx, convLowering, nchwcBlockWorks, NCHWC_BLOCKS } from '../src/index.js';
import { encodeModel } from '../src/model_proto.js';
import { trainingConv } from '../src/segnet_graph.js';
import { buildSegnetTrainGraph } from '../src/segnet_train_graph.js';
import { floats, gradCheck } from './grad_check.js';

/**
 * The NCHWc spelling of convs on ORT's CPU EP (conv_nodes.ts): the block the probe finds is the one MLAS
 * documents for this CPU, the spelling computes the standard Conv, its gradients match central differences,
 * and the training graph lowers every conv whose channels allow it. The whole step against tfjs autodiff
 * with lowered convs is in engine-onnxruntime's engines.test.ts.
 */

const conv3 = [attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1]), attr.ints('strides', [1, 1])];

/** MLAS' NCHWc block on x86-64: 16 floats with AVX-512F, 8 with AVX2; other CPUs: none expected. */
function documentedBlock(): number | null {
  if (process.arch !== 'x64') return null;
  const flags = new Set(readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)?.[1].trim().split(/\s+/) ?? []);
  return flags.has('avx512f') ? 16 : flags.has('avx2') ? 8 : null;
}

async function lowered(): Promise<Exclude<ConvLowering, 'onnx'>> {
  const lowering = await convLowering('cpu');
  if (lowering === 'onnx') throw new Error('no NCHWc block works on this machine: the lowered convs are untested here');
  return lowering;
}

describe('NCHWc conv lowering on the CPU EP', () => {
  test("the probe finds MLAS' block for this CPU, rejects the other one, and GPU EPs keep standard Convs", async () => {
    const expected = documentedBlock();
    const found = await convLowering('cpu');
    expect(found).toEqual(expected === null ? 'onnx' : { nchwcBlock: expected });
    for (const block of NCHWC_BLOCKS) expect(await nchwcBlockWorks(block), `block ${block}`).toBe(block === expected);
    expect(await convLowering('webgpu')).toBe('onnx');
  });

  test('the lowered conv equals the standard Conv; channel counts off the block stay standard', async () => {
    const lowering = await lowered();
    const b = lowering.nchwcBlock;
    const cases = [
      { cin: 2 * b, cout: b, nchwc: true },
      { cin: b, cout: b + 4, nchwc: false },
    ];
    for (const { cin, cout, nchwc } of cases) {
      const t = new Tape(GRAD_RULES);
      const [x, w] = [t.input('x'), t.input('w')];
      const dims = [cout, cin, 3, 3];
      t.node('Identity', [emitConv(t, x, w, dims, conv3, 'onnx')], [], 1, ['plain']);
      t.node('Identity', [emitConv(t, x, w, dims, conv3, lowering)], [], 1, ['lowered']);
      expect(t.g.nodes.some((n) => n.domain === 'com.microsoft.nchwc'), `${cin} -> ${cout}`).toBe(nchwc);
      const shape = [2, cout, 7, 9];
      const bytes = encodeModel(t.g, { name: 'c', doc: '', inputs: [valueInfo('x', [2, cin, 7, 9]), valueInfo('w', dims)], outputs: [valueInfo('plain', shape), valueInfo('lowered', shape)] });
      const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 2 });
      const out = await session.run({ x: new ort.Tensor('float32', floats(2 * cin * 63, 1), [2, cin, 7, 9]), w: new ort.Tensor('float32', floats(cout * cin * 9, 2), dims) });
      await session.release();
      const [p, l] = [out.plain.data as Float32Array, out.lowered.data as Float32Array];
      const scale = p.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(scale).toBeGreaterThan(1);
      expect(p.reduce((m, v, i) => Math.max(m, Math.abs(v - l[i])), 0)).toBeLessThan(1e-5 * scale);
    }
  });

  test('the lowered training conv: input and weight gradients vs central differences', async () => {
    const lowering = await lowered();
    const b = lowering.nchwcBlock;
    const x = { name: 'x', dims: [2, b, 4, 5], data: floats(2 * b * 20, 3), grad: true };
    const w = { name: 'w', dims: [b, b, 3, 3], data: floats(b * b * 9, 4), grad: true };
    const { error } = await gradCheck([x, w], [2, b, 4, 5], (t, v) => trainingConv(t, [v.x, v.w], conv3, lowering));
    expect(error.size).toBe(2);
    for (const [name, e] of error) expect(e, name).toBeLessThan(1e-2);
  });

  test('the mini training step lowers every conv whose channels are multiples of the block, forward and input gradient', async () => {
    const lowering = await lowered();
    const config = segnetConfig({ preset: 'mini', unpool: 'switch' });
    const eligible = segnetPlan(config).steps.filter((s) => s.kind === 'conv' && s.cin % lowering.nchwcBlock === 0 && s.cout % lowering.nchwcBlock === 0);
    expect(eligible.length).toBeGreaterThan(0);
    const graph = buildSegnetTrainGraph(config, { name: 'adam' }, { lowering: { pool: 'indices', conv: lowering } });
    const nodes = decodeOnnx('ModelProto', graph.bytes).graph.node as Array<{ op_type: string; domain: string }>;
    const blocked = nodes.filter((n) => n.domain === 'com.microsoft.nchwc' && n.op_type === 'Conv').length;
    expect(blocked).toBe(2 * eligible.length);
  });
});
