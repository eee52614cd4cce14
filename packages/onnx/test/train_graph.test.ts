import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { paramSpecs, type SegNet } from '@unpool/models';
import { selectBackend } from '@unpool/runtime';
import { buildSegnetTrainGraph, decodeOnnx, exportOnnx, OrtSegNet, segnetWeights } from '../src/index.js';
import { runOrt } from '../src/ort_session.js';
import { maxAbs, randomImages, randomSegNet, session, tinyConfig } from './helpers.js';

const models: SegNet[] = [];
beforeAll(async () => {
  await selectBackend('cpu');
});
afterAll(() => models.forEach((m) => m.dispose()));

test('training graph: batch, lr and the whole state in; loss and the next state out', () => {
  const config = tinyConfig({ unpool: 'ratio' });
  const graph = buildSegnetTrainGraph(config, { name: 'adam' });
  const proto = decodeOnnx('ModelProto', graph.bytes);
  const inputs = proto.graph.input.map((i: { name: string }) => i.name);
  const specs = paramSpecs(config);
  const trainable = specs.filter((s) => s.trainable).map((s) => s.name);
  const stats = specs.filter((s) => !s.trainable).map((s) => s.name);
  const state = [...trainable.flatMap((n) => [n, `${n}#0`, `${n}#1`]), ...stats];
  expect(inputs).toEqual(['images', 'labels', 'class_weights', 'lr', ...state]);
  const outputs = proto.graph.output.map((o: { name: string }) => o.name);
  expect(outputs).toEqual(['loss', ...state.map((n) => `next.${n}`)]);
  // Weights are inputs, never baked in: one session serves every step.
  expect(proto.graph.initializer.map((t: { name: string }) => t.name).filter((n: string) => state.includes(n))).toEqual([]);
  // SGD keeps one slot per parameter.
  const sgd = buildSegnetTrainGraph(config, { name: 'sgd', momentum: 0.9 });
  expect(sgd.state.map((s) => s.name)).toEqual([...trainable.flatMap((n) => [n, `${n}#0`]), ...stats]);
});

test('a missing state tensor or dropout mask is named', async () => {
  const config = tinyConfig({ unpool: 'switch', bayesian: true, dropout: 0.5 });
  const ort = new OrtSegNet(config, { threads: 1 });
  await expect(ort.trainer({ name: 'adam' }, () => undefined)).rejects.toThrow(/state 'enc0\.conv0\.kernel'/);
  const graph = buildSegnetTrainGraph(config, { name: 'adam' });
  const state = new Map(graph.state.map((s) => [s.name, new Float32Array(s.shape.reduce((a, b) => a * b, 1))]));
  const trainer = await ort.trainer({ name: 'adam' }, (n) => state.get(n));
  const base = {
    images: new Float32Array(16 * 16 * 3),
    labels: new Int32Array(16 * 16),
    batch: 1,
    height: 16,
    width: 16,
    classWeights: new Float32Array(config.classes).fill(1),
    lr: 1e-3,
  };
  await expect(trainer.step(base)).rejects.toThrow(/dropout mask 'mask\.enc\d'/);
  await trainer.release();
});

test('the baked-weights predictor computes the exported model (softmax of its logits)', async () => {
  const config = tinyConfig({ unpool: 'switch' });
  const model = randomSegNet(config, 5);
  models.push(model);
  const images = new Float32Array(2 * 16 * 16 * 3);
  randomImages(2, 16, 16, 3, 9).forEach((img, i) => images.set(img, i * img.length));
  const exported = await runOrt(await session(exportOnnx(model, { foldBatchNorm: false })), images, [2, 16, 16, 3]);
  const expected = tf.tidy(() => tf.softmax(tf.tensor4d(exported.data, [2, 16, 16, config.classes])).dataSync() as Float32Array);
  const predictor = new OrtSegNet(config, { threads: 1 }).predictor(segnetWeights(model));
  const probs = await predictor.probs(images, 2, 16, 16);
  expect(maxAbs(probs, expected)).toBeLessThan(1e-5);
  await predictor.release();
});
