import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { saveSegNet, segnetForward, UNPOOL_MODES, type SegNet } from '@unpool/models';
import { selectBackend } from '@unpool/runtime';
import {
  CHECK_FILE,
  checkOrThrow,
  crossCheck,
  decodeOnnx,
  exportOnnx,
  exportOnnxFile,
  ONNX_FILE,
  onnxCheckRun,
  type OnnxCheck,
} from '../src/index.js';
import { nchwToNhwc, nhwcToNchw } from '../src/layout.js';
import { maxAbs, randomImages, randomSegNet, session, tinyConfig } from './helpers.js';

const SIZE = 16; // divisible by 2^2 for the two-block test models
const FAST = { imageSize: [SIZE, SIZE] as [number, number], timingRepeats: 1 };

const models: SegNet[] = [];
function model(...args: Parameters<typeof randomSegNet>): SegNet {
  const m = randomSegNet(...args);
  models.push(m);
  return m;
}

function tfjsLogits(m: SegNet, images: Float32Array[]): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(Float32Array.from(images.flatMap((i) => Array.from(i))), [images.length, SIZE, SIZE, 3]);
    return segnetForward(m.config, m.params, x, { training: false, dropoutSeed: null }).dataSync() as Float32Array;
  });
}

async function ortLogits(bytes: Uint8Array, images: Float32Array[], layout: 'NHWC' | 'NCHW' = 'NHWC'): Promise<Float32Array> {
  const s = await session(bytes);
  const nhwc = Float32Array.from(images.flatMap((i) => Array.from(i)));
  const shape = [images.length, SIZE, SIZE, 3];
  const input = layout === 'NHWC' ? new ort.Tensor('float32', nhwc, shape) : new ort.Tensor('float32', nhwcToNchw(nhwc, shape), [images.length, 3, SIZE, SIZE]);
  const out = (await s.run({ images: input })).logits;
  await s.release();
  return layout === 'NHWC' ? (out.data as Float32Array) : nchwToNhwc(out.data as Float32Array, out.dims);
}

const opTypes = (bytes: Uint8Array): string[] => decodeOnnx('ModelProto', bytes).graph.node.map((n: { op_type: string }) => n.op_type);
const dims = (vi: any) => vi.type.tensor_type.shape.dim.map((d: any) => (d.dim_param ? d.dim_param : d.dim_value));
const meta = (bytes: Uint8Array) =>
  Object.fromEntries(decodeOnnx('ModelProto', bytes).metadata_props.map((p: { key: string; value: string }) => [p.key, p.value]));

function expectPassed(check: OnnxCheck) {
  expect(check.passed).toBe(true);
  expect(check.maxAbsDiff).toBeLessThanOrEqual(1e-3);
  expect(check.argmaxAgreement).toBeGreaterThanOrEqual(0.999);
  expect(check.nonFinite).toBe(0);
  // JSON-serialisable as is: nothing turns into null on the way.
  expect(JSON.parse(JSON.stringify(check))).toEqual(check);
}

beforeAll(async () => {
  await selectBackend('cpu');
});

afterAll(() => models.forEach((m) => m.dispose()));

describe('exported SegNet runs in onnxruntime-node like tfjs', () => {
  for (const unpool of UNPOOL_MODES) {
    for (const foldBatchNorm of [true, false]) {
      test(`${unpool} unpooling, batch norm ${foldBatchNorm ? 'folded' : 'as nodes'}: cross-check on 3 images`, async () => {
        const m = model(tinyConfig({ unpool }), 3);
        const check = await crossCheck(m, randomImages(3, SIZE, SIZE, 3, 5), { ...FAST, foldBatchNorm, threads: [1, 2] });
        expectPassed(check);
        expect(check).toMatchObject({ images: 3, unpool, foldBatchNorm, layout: 'NHWC', opset: 17, irVersion: 8, tfjsBackend: 'cpu' });
        expect(Object.keys(check.ortMsPerImage).sort()).toEqual(['threads1', 'threads2']);
        Object.values(check.ortMsPerImage).forEach((ms) => expect(ms).toBeGreaterThan(0));
        expect(check.tfjsMsPerImage).toBeGreaterThan(0);

        const bytes = exportOnnx(m, { foldBatchNorm });
        expect(check.fileBytes).toBe(bytes.byteLength);
        const ops = opTypes(bytes);
        const convs = ops.filter((o) => o === 'Conv').length;
        expect(convs).toBe(5); // 2 encoder + 2 decoder + classifier
        expect(ops.filter((o) => o === 'BatchNormalization').length).toBe(foldBatchNorm ? 0 : 4);
        expect(ops.includes('MaxUnpool')).toBe(unpool === 'switch');
        expect(ops.includes('Where')).toBe(unpool === 'ratio');
        expect(ops.filter((o) => o === 'Resize').length).toBe(unpool === 'switch' ? 0 : 2);
        expect(meta(bytes).fold_batch_norm).toBe(String(foldBatchNorm));
      });
    }
  }

  test('batch of 1', async () => {
    const m = model(tinyConfig({ unpool: 'ratio' }), 4);
    expectPassed(await crossCheck(m, randomImages(1, SIZE, SIZE, 3, 6), { ...FAST, threads: [1] }));
  });

  test('a tensor batch is accepted and left to its owner', async () => {
    const m = model(tinyConfig({ unpool: 'switch' }), 5);
    const x = tf.randomUniform([3, SIZE, SIZE, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    expectPassed(await crossCheck(m, x, { timingRepeats: 1, threads: [1] }));
    expect(x.isDisposed).toBe(false);
    x.dispose();
  });

  test('dynamic batch: one exported model serves batch 1 and batch 3', async () => {
    const m = model(tinyConfig({ unpool: 'switch' }), 6);
    const bytes = exportOnnx(m, { batch: 'dynamic' });
    expect(dims(decodeOnnx('ModelProto', bytes).graph.input[0])).toEqual(['batch', 'height', 'width', 3]);
    for (const n of [1, 3]) {
      const images = randomImages(n, SIZE, SIZE, 3, 10 + n);
      expect(maxAbs(await ortLogits(bytes, images), tfjsLogits(m, images))).toBeLessThanOrEqual(1e-4);
    }
  });

  test('fixed batch and size are declared and enforced by ORT', async () => {
    const m = model(tinyConfig({ unpool: 'nearest' }), 7);
    const bytes = exportOnnx(m, { batch: 3, inputSize: [SIZE, SIZE] });
    const graph = decodeOnnx('ModelProto', bytes).graph;
    expect(dims(graph.input[0])).toEqual([3, SIZE, SIZE, 3]);
    expect(dims(graph.output[0])).toEqual([3, SIZE, SIZE, 5]);
    const images = randomImages(3, SIZE, SIZE, 3, 20);
    expect(maxAbs(await ortLogits(bytes, images), tfjsLogits(m, images))).toBeLessThanOrEqual(1e-4);
    await expect(ortLogits(bytes, images.slice(0, 1))).rejects.toThrow(/dimension|shape|Got invalid/i);
  });

  test('NCHW layout: no Transposes, channels-first input and output', async () => {
    const m = model(tinyConfig({ unpool: 'ratio' }), 8);
    const bytes = exportOnnx(m, { layout: 'NCHW' });
    const graph = decodeOnnx('ModelProto', bytes).graph;
    expect(dims(graph.input[0])).toEqual(['batch', 3, 'height', 'width']);
    expect(dims(graph.output[0])).toEqual(['batch', 5, 'height', 'width']);
    expect(opTypes(bytes)).not.toContain('Transpose');
    expect(opTypes(exportOnnx(m, { layout: 'NHWC' })).filter((o) => o === 'Transpose').length).toBe(2);
    const images = randomImages(3, SIZE, SIZE, 3, 30);
    expect(maxAbs(await ortLogits(bytes, images, 'NCHW'), tfjsLogits(m, images))).toBeLessThanOrEqual(1e-4);
    expectPassed(await crossCheck(m, images, { ...FAST, layout: 'NCHW', threads: [1] }));
  });

  test('Bayesian SegNet exports its deterministic pass and says MC dropout is outside the graph', async () => {
    const m = model(tinyConfig({ unpool: 'switch', bayesian: true, dropout: 0.5 }), 9);
    const bytes = exportOnnx(m);
    expect(opTypes(bytes)).not.toContain('Dropout');
    const md = meta(bytes);
    expect(md.bayesian).toBe('true');
    expect(md.dropout).toMatch(/deterministic pass/);
    expect(md.dropout).toMatch(/NOT Monte Carlo/);
    const images = randomImages(3, SIZE, SIZE, 3, 40);
    expectPassed(await crossCheck(m, images, { ...FAST, threads: [1] }));
    // An MC sample (dropout on) is a different function: the graph is not one of them.
    const mc = tf.tidy(() => {
      const x = tf.tensor4d(Float32Array.from(images.flatMap((i) => Array.from(i))), [3, SIZE, SIZE, 3]);
      return segnetForward(m.config, m.params, x, { training: false, dropoutSeed: 1 }).dataSync();
    });
    expect(maxAbs(await ortLogits(bytes, images), mc)).toBeGreaterThan(1e-2);
  });

  test('on the wasm backend too', async () => {
    try {
      const m = model(tinyConfig({ unpool: 'switch' }), 10);
      const check = await crossCheck(m, randomImages(3, SIZE, SIZE, 3, 50), { ...FAST, backend: 'wasm', threads: [1] });
      expectPassed(check);
      expect(check.tfjsBackend).toBe('wasm');
    } finally {
      await selectBackend('cpu');
    }
  });
});

describe('model file', () => {
  test('IR 8, opset 17, named and shaped inputs, producer, initializers stored once in little-endian float32', () => {
    const m = model(tinyConfig({ unpool: 'ratio' }), 11);
    const proto = decodeOnnx('ModelProto', exportOnnx(m, { foldBatchNorm: false }));
    expect(proto.ir_version).toBe(8);
    expect(proto.opset_import).toEqual([expect.objectContaining({ domain: '', version: 17 })]);
    expect(proto.producer_name).toBe('@unpool/onnx');
    expect(proto.producer_version).toMatch(/^\d+\.\d+\.\d+/);
    expect(proto.graph.input.map((i: any) => i.name)).toEqual(['images']);
    expect(proto.graph.output.map((o: any) => o.name)).toEqual(['logits']);
    const names: string[] = proto.graph.initializer.map((t: any) => t.name);
    expect(new Set(names).size).toBe(names.length);
    // Shared constants once, though each of the two ratio unpoolings reads them.
    expect(names.filter((n) => n.startsWith('const.')).sort()).toEqual(['const.f32(0)', 'const.f32[1,1,2,2]']);
    expect(proto.graph.node.filter((n: any) => n.input.includes('const.f32[1,1,2,2]')).length).toBe(2);
    const bias = proto.graph.initializer.find((t: any) => t.name === 'cls.bias');
    const raw: Uint8Array = bias.raw_data;
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const values = Array.from({ length: 5 }, (_, i) => view.getFloat32(4 * i, true));
    expect(values).toEqual(Array.from(m.params.get('cls.bias')!.dataSync()));
    // Conv weights are OIHW: transposing tfjs' HWIO kernel must give the same numbers.
    const w = proto.graph.initializer.find((t: any) => t.name === 'enc0.conv0.weight');
    expect(w.dims).toEqual([4, 3, 3, 3]);
    const oihw = tf.tidy(() => tf.transpose(m.params.get('enc0.conv0.kernel')!, [3, 2, 0, 1]).dataSync());
    const wv = new DataView(w.raw_data.buffer, w.raw_data.byteOffset, w.raw_data.byteLength);
    expect(Array.from({ length: oihw.length }, (_, i) => wv.getFloat32(4 * i, true))).toEqual(Array.from(oihw));
  });

  test('bad options are rejected with the field named', () => {
    const m = model(tinyConfig(), 12);
    expect(() => exportOnnx(m, { opset: 13 as 17 })).toThrow(/'opset'/);
    expect(() => exportOnnx(m, { batch: 0 })).toThrow(/'batch'/);
    expect(() => exportOnnx(m, { inputSize: [18, 16] })).toThrow(/divisible by 4/);
  });

  test('crossCheck rejects images it cannot shape', async () => {
    const m = model(tinyConfig(), 13);
    await expect(crossCheck(m, randomImages(2, SIZE, SIZE, 3, 1))).rejects.toThrow(/imageSize/);
    const bad = [...randomImages(1, SIZE, SIZE, 3, 1), new Float32Array(10)];
    await expect(crossCheck(m, bad, FAST)).rejects.toThrow(/images\[1\] has 10 values/);
  });

  test('exportOnnxFile writes the bytes atomically and ORT loads them', async () => {
    const m = model(tinyConfig({ unpool: 'switch' }), 14);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-file-'));
    try {
      const file = path.join(dir, 'sub', 'segnet.onnx');
      const bytes = exportOnnxFile(m, file);
      expect(new Uint8Array(fs.readFileSync(file))).toEqual(bytes);
      expect(fs.readdirSync(path.dirname(file))).toEqual(['segnet.onnx']);
      await (await session(fs.readFileSync(file))).release();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('checkOrThrow and onnxCheckRun', () => {
  test('checkOrThrow returns a passing check and throws loudly, with the numbers, for a failing one', async () => {
    const m = model(tinyConfig({ unpool: 'nearest' }), 15);
    const check = await crossCheck(m, randomImages(1, SIZE, SIZE, 3, 2), { ...FAST, threads: [1] });
    expect(checkOrThrow(check)).toBe(check);
    const failing = { ...check, passed: false, maxAbsDiff: 0.5, argmaxAgreement: 0.75 };
    expect(() => checkOrThrow(failing)).toThrow(/FAILED.*5\.000e-1 \(limit 0\.001\).*75\.000% \(limit 99\.900%\)/);
  });

  test('onnxCheckRun loads a saved model and writes model.onnx and onnx-check.json', async () => {
    const m = model(tinyConfig({ unpool: 'ratio', bayesian: true }), 16);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-run-'));
    try {
      await saveSegNet(m, path.join(dir, 'weights'));
      const outDir = path.join(dir, 'out');
      const images = randomImages(3, SIZE, SIZE, 3, 3);
      const check = await onnxCheckRun({ modelDir: path.join(dir, 'weights'), images, outDir, ...FAST, threads: [1, 2] });
      expectPassed(check);
      expect(fs.readdirSync(outDir).sort()).toEqual([CHECK_FILE, ONNX_FILE].sort());
      expect(JSON.parse(fs.readFileSync(path.join(outDir, CHECK_FILE), 'utf8'))).toEqual(check);
      const bytes = new Uint8Array(fs.readFileSync(path.join(outDir, ONNX_FILE)));
      expect(bytes.byteLength).toBe(check.fileBytes);
      // The written model is the saved model: same logits as the in-memory original.
      expect(maxAbs(await ortLogits(bytes, images), tfjsLogits(m, images))).toBeLessThanOrEqual(1e-4);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
