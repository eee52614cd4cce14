import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, test } from 'vitest';
import { decodeOnnx, decodeTensor, type DecodedTensor } from '../src/index.js';

// The ONNX project's backend node tests, as Debian packages them. They pin the operator semantics the
// exporter relies on, from data the ONNX project computed with its numpy reference, not from this code.
const NODE_TESTS = '/usr/share/libonnx-testdata/data/node';

function nodeTestDir(name: string): string {
  const dir = path.join(NODE_TESTS, name);
  if (!fs.existsSync(path.join(dir, 'model.onnx'))) {
    throw new Error(
      `ONNX backend node test '${name}' is missing (${dir}/model.onnx): install Debian's libonnx-testdata ` +
        `(apt-get install -y libonnx-testdata); these tests must not be skipped.`,
    );
  }
  return dir;
}

function readPbs(dir: string, prefix: 'input' | 'output'): DecodedTensor[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(`${prefix}_`) && f.endsWith('.pb'))
    .sort((a, b) => parseInt(a.slice(prefix.length + 1), 10) - parseInt(b.slice(prefix.length + 1), 10));
  return files.map((f) => decodeTensor(fs.readFileSync(path.join(dir, f)), `${dir}/${f}`));
}

function toOrt(t: DecodedTensor): ort.Tensor {
  return t.type === 'float32' ? new ort.Tensor('float32', t.data, t.dims) : new ort.Tensor('int64', t.data, t.dims);
}

/** Runs one node test in ORT with every optimisation on and returns expected and actual outputs. */
async function runNodeTest(name: string) {
  const dir = nodeTestDir(name);
  const bytes = fs.readFileSync(path.join(dir, 'model.onnx'));
  const s = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all' });
  const data = path.join(dir, 'test_data_set_0');
  const inputs = readPbs(data, 'input');
  const expected = readPbs(data, 'output');
  expect(inputs.length).toBe(s.inputNames.length);
  const feeds = Object.fromEntries(s.inputNames.map((n, i) => [n, toOrt(inputs[i])]));
  const result = await s.run(feeds);
  const actual = s.outputNames.map((n) => result[n]);
  await s.release();
  return { expected, actual, model: decodeOnnx('ModelProto', bytes) };
}

async function expectNodeTestPasses(name: string) {
  const { expected, actual } = await runNodeTest(name);
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => {
    expect([...actual[i].dims]).toEqual(e.dims);
    // These ops copy values (max, index, placement): the results must be identical, not close.
    expect(Array.from(actual[i].data as ArrayLike<number | bigint>)).toEqual(Array.from(e.data as ArrayLike<number | bigint>));
  });
  return { expected, actual };
}

describe('ONNX backend node tests (libonnx-testdata) in onnxruntime-node', () => {
  test('our schema decodes the node test models', async () => {
    const { model } = await runNodeTest('test_maxunpool_export_without_output_shape');
    expect(model.graph.node[0].op_type).toBe('MaxUnpool');
    expect(model.graph.input.map((i: { name: string }) => i.name)).toEqual(['xT', 'xI']);
  });

  test('MaxPool Indices are row-major flat indices (storage_order 0), as the exporter assumes', async () => {
    const { expected } = await expectNodeTestPasses('test_maxpool_with_argmax_2d_precomputed_pads');
    // 5x5 input 1..25, 5x5 window with pads 2: output (0,0) is the max of rows 0-2, cols 0-2 = 13 at
    // flat position 2*5 + 2 = 12 in row-major order.
    expect(expected[1].type).toBe('int64');
    expect(expected[1].data[0]).toBe(12n);
  });

  test('MaxPool with storage_order 1 gives column-major indices, so the default must stay row-major', async () => {
    const { expected } = await expectNodeTestPasses('test_maxpool_with_argmax_2d_precomputed_strides');
    // The 2x2 window at rows 0-1, cols 2-3 holds its max 9 at (1,3): 1 + 3*5 = 16 column-major, 8 row-major.
    expect(Array.from(expected[1].data as BigInt64Array)).toEqual([6n, 16n, 8n, 18n]);
  });

  test('MaxUnpool without output_shape infers (in-1)*stride + kernel = 2x the input', async () => {
    await expectNodeTestPasses('test_maxunpool_export_without_output_shape');
  });

  test('ORT MaxUnpool treats output_shape as allocation only, unlike the ONNX reference: why the export omits it', async () => {
    const { expected, actual } = await runNodeTest('test_maxunpool_export_with_output_shape');
    expect([...actual[0].dims]).toEqual([1, 1, 5, 5]);
    // The ONNX reference re-maps the 4x4 indices 5, 7, 13, 15 into the 5x5 output (positions 6, 8, 16, 18);
    // ORT writes them at those flat positions of the 5x5 buffer unchanged (PyTorch semantics).
    const nonZero = (d: ArrayLike<number | bigint>) => Array.from(d).flatMap((v, i) => (Number(v) !== 0 ? [i] : []));
    expect(nonZero(expected[0].data)).toEqual([6, 8, 16, 18]);
    expect(nonZero(actual[0].data as Float32Array)).toEqual([5, 7, 13, 15]);
    expect(Array.from(actual[0].data as Float32Array).filter((v) => v !== 0)).toEqual([5, 6, 7, 8]);
  });

  test('Resize nearest upsampling by scales copies blocks', async () => {
    await expectNodeTestPasses('test_resize_upsample_scales_nearest');
  });

  test('Resize nearest upsampling by sizes', async () => {
    await expectNodeTestPasses('test_resize_upsample_sizes_nearest');
  });

  test('Resize nearest with asymmetric coordinates', async () => {
    await expectNodeTestPasses('test_resize_upsample_sizes_nearest_round_prefer_ceil_asymmetric');
  });

  test('MaxPool 2d values', async () => {
    await expectNodeTestPasses('test_maxpool_2d_default');
  });
});
