import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { selectBackend } from '@unpool/runtime';
import {
  createSegNet,
  dropoutSites,
  loadSegNet,
  paramCount,
  paramSpecs,
  predictProbs,
  dropoutMask,
  saveSegNet,
  segnetConfig,
  segnetForward,
} from '../src/index.js';

const tiny = (over: Parameters<typeof segnetConfig>[0] = {}) =>
  segnetConfig({ preset: 'mini', widths: [4, 8, 8], convsPerBlock: [1, 2, 1], ...over });

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('SegNet layout', () => {
  test('vgg16 preset has the VGG16 encoder and its mirrored decoder', () => {
    const c = segnetConfig({ preset: 'vgg16' });
    const convs = paramSpecs(c).filter((s) => s.name.endsWith('.kernel'));
    // 13 encoder convs, 13 decoder convs, 1 classifier.
    expect(convs.length).toBe(27);
    // Encoder conv parameter count of VGG16 (no bias, BN instead): sum of 3*3*cin*cout.
    const enc = convs.filter((s) => s.name.startsWith('enc')).reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
    const vgg = [[3, 64], [64, 64], [64, 128], [128, 128], [128, 256], [256, 256], [256, 256], [256, 512], [512, 512], [512, 512], [512, 512], [512, 512], [512, 512]]
      .reduce((n, [i, o]) => n + 9 * i * o, 0);
    expect(enc).toBe(vgg);
  });

  test('decoder blocks hand each unpooling the channel count of its encoder block', () => {
    const c = tiny();
    const specs = new Map(paramSpecs(c).map((s) => [s.name, s.shape]));
    // Decoder block 1 (width 8) ends with a conv to width 4, the width of encoder block 0.
    expect(specs.get('dec1.conv1.kernel')).toEqual([3, 3, 8, 4]);
    expect(specs.get('dec2.conv0.kernel')).toEqual([3, 3, 8, 8]);
    expect(specs.get('cls.kernel')).toEqual([1, 1, 4, 20]);
  });

  test('parameter count counts trainable weights only by default', () => {
    const c = tiny();
    const bnStats = paramSpecs(c).filter((s) => !s.trainable).reduce((n, s) => n + s.shape[0], 0);
    expect(paramCount(c, false) - paramCount(c)).toBe(bnStats);
    expect(bnStats).toBeGreaterThan(0);
  });

  test('Bayesian dropout sits at the three deepest blocks', () => {
    // Encoder block b -> site b (after its pool); decoder block b -> site 100 + b (after its convs).
    expect(dropoutSites(segnetConfig({ preset: 'vgg16', bayesian: true }))).toEqual([2, 3, 4, 104, 103, 102]);
    expect(dropoutSites(segnetConfig({ preset: 'mini', bayesian: true }))).toEqual([1, 2, 3, 103, 102, 101]);
    expect(dropoutSites(segnetConfig({ preset: 'mini', bayesian: false }))).toEqual([]);
  });

  test('initialisation is fixed by the seed, seed 0 included (tfjs treats a 0 seed as unseeded)', () => {
    for (const seed of [0, 1]) {
      const a = createSegNet(tiny(), seed);
      const b = createSegNet(tiny(), seed);
      for (const [name, v] of a.params) expect(Array.from(v.dataSync())).toEqual(Array.from(b.params.get(name)!.dataSync()));
      a.dispose();
      b.dispose();
    }
    const c0 = createSegNet(tiny(), 0);
    const c1 = createSegNet(tiny(), 1);
    expect(Array.from(c0.params.get('enc0.conv0.kernel')!.dataSync())).not.toEqual(Array.from(c1.params.get('enc0.conv0.kernel')!.dataSync()));
    c0.dispose();
    c1.dispose();
  });

  test("torch-default draws PyTorch's Conv2d default (uniform +-1/sqrt(fan-in)), about 2.2x narrower than our truncated He-normal", () => {
    const mini = (init?: 'torch-default') => segnetConfig({ preset: 'mini', ...(init ? { init } : {}) });
    const std = (xs: Float32Array) => Math.sqrt(xs.reduce((a, x) => a + x * x, 0) / xs.length);
    const he = createSegNet(mini(), 3);
    const torch = createSegNet(mini('torch-default'), 3);
    // A deep layer: 3*3*64 fan-in, 36864 weights, so the sample moments are within a few percent.
    const fanIn = 3 * 3 * 64;
    const k = torch.params.get('dec3.conv0.kernel')!.dataSync() as Float32Array;
    const bound = 1 / Math.sqrt(fanIn);
    expect(Math.max(...k.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...k.map(Math.abs))).toBeGreaterThan(0.99 * bound);
    expect(std(k) / (bound / Math.sqrt(3))).toBeCloseTo(1, 1);
    // tfjs' truncated normal cuts at 2 sd, which leaves 0.88 of the nominal sqrt(2 / fan-in).
    const h = he.params.get('dec3.conv0.kernel')!.dataSync() as Float32Array;
    expect(std(h) / (0.8796 * Math.sqrt(2 / fanIn))).toBeCloseTo(1, 1);
    expect(std(h) / std(k)).toBeGreaterThan(2.1);
    expect(std(h) / std(k)).toBeLessThan(2.3);
    // The classifier bias is drawn too (PyTorch's), not zero; BN starts at gamma 1, beta 0 either way.
    const bias = torch.params.get('cls.bias')!.dataSync() as Float32Array;
    expect(bias.some((b) => b !== 0)).toBe(true);
    expect(Math.max(...bias.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(16));
    expect(Array.from(he.params.get('cls.bias')!.dataSync()).every((b) => b === 0)).toBe(true);
    expect(Array.from(torch.params.get('enc0.bn0.gamma')!.dataSync()).every((g) => g === 1)).toBe(true);
    he.dispose();
    torch.dispose();
  });

  test('bad configs name the field', () => {
    expect(() => segnetConfig({ init: 'xavier' as never })).toThrow(/'init' must be one of he-normal, torch-default/);
    expect(() => segnetConfig({ widths: [4, 8], convsPerBlock: [1] })).toThrow(/convsPerBlock/);
    expect(() => segnetConfig({ unpool: 'bogus' as never })).toThrow(/unpool/);
    expect(() => segnetConfig({ dropout: 1.5 })).toThrow(/dropout/);
  });
});

describe.each(['switch', 'ratio', 'nearest'] as const)('SegNet forward (%s unpooling)', (unpool) => {
  test('maps [B,H,W,3] to [B,H,W,20] logits, deterministically for a seed', () => {
    const c = tiny({ unpool });
    const a = createSegNet(c, 7);
    const b = createSegNet(c, 7);
    const x = tf.randomUniform([2, 16, 24, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const ya = segnetForward(c, a.params, x, { training: false, dropoutSeed: null });
    const yb = segnetForward(c, b.params, x, { training: false, dropoutSeed: null });
    expect(ya.shape).toEqual([2, 16, 24, 20]);
    expect(Array.from(ya.dataSync())).toEqual(Array.from(yb.dataSync()));
    tf.dispose([ya, yb, x]);
    a.dispose();
    b.dispose();
  });

  test('rejects inputs not divisible by 2^blocks', () => {
    const c = tiny({ unpool });
    const m = createSegNet(c, 1);
    const x = tf.zeros([1, 12, 24, 3]) as tf.Tensor4D;
    expect(() => segnetForward(c, m.params, x, { training: false, dropoutSeed: null })).toThrow(/divisible by 8/);
    x.dispose();
    m.dispose();
  });
});

test('Bayesian MC prediction: masks fixed by the seed, different across seeds, averaged probabilities', () => {
  const c = tiny({ unpool: 'ratio', bayesian: true, dropout: 0.5 });
  const m = createSegNet(c, 5);
  const x = tf.randomUniform([1, 16, 16, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
  const p1 = predictProbs(c, m.params, x, { mcSamples: 4, seed: 1 });
  const p1again = predictProbs(c, m.params, x, { mcSamples: 4, seed: 1 });
  const p2 = predictProbs(c, m.params, x, { mcSamples: 4, seed: 2 });
  const det = predictProbs(c, m.params, x, { mcSamples: 1 });
  expect(Array.from(p1.dataSync())).toEqual(Array.from(p1again.dataSync()));
  expect(tf.max(tf.abs(tf.sub(p1, p2))).dataSync()[0]).toBeGreaterThan(1e-4);
  expect(tf.max(tf.abs(tf.sub(p1, det))).dataSync()[0]).toBeGreaterThan(1e-4);
  const sums = tf.sum(p1, -1).dataSync();
  for (const s of sums) expect(s).toBeCloseTo(1, 4);
  tf.dispose([p1, p1again, p2, det, x]);
  m.dispose();
});

test('save + load round-trips every weight, including BN running statistics', async () => {
  const c = tiny({ unpool: 'switch' });
  const m = createSegNet(c, 9);
  m.params.get('enc0.bn0.mean')!.assign(tf.fill([4], 0.25));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'segnet-'));
  await saveSegNet(m, path.join(dir, 'w'));
  const back = loadSegNet(path.join(dir, 'w'));
  expect(back.config).toEqual(c);
  for (const s of paramSpecs(c)) {
    expect(Array.from(back.params.get(s.name)!.dataSync())).toEqual(Array.from(m.params.get(s.name)!.dataSync()));
  }
  expect(() => loadSegNet(path.join(dir, 'nope'))).toThrow(/nope.*does not exist/);
  fs.writeFileSync(path.join(dir, 'w', 'tensors.bin'), new Uint8Array(10));
  expect(() => loadSegNet(path.join(dir, 'w'))).toThrow(/truncated/);
  m.dispose();
  back.dispose();
});

test('training-mode BN updates the running statistics; inference mode does not', () => {
  const c = tiny();
  const m = createSegNet(c, 1);
  const x = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
  const before = m.params.get('enc0.bn0.mean')!.dataSync().slice();
  tf.dispose(segnetForward(c, m.params, x, { training: false, dropoutSeed: null }));
  expect(Array.from(m.params.get('enc0.bn0.mean')!.dataSync())).toEqual(Array.from(before));
  tf.dispose(segnetForward(c, m.params, x, { training: true, dropoutSeed: null }));
  expect(Array.from(m.params.get('enc0.bn0.mean')!.dataSync())).not.toEqual(Array.from(before));
  x.dispose();
  m.dispose();
});

test('dropoutMask is the multiplier tf.dropout draws for the same seed (engines outside tfjs feed it)', () => {
  const shape = [2, 4, 6, 3];
  for (const seed of [1, 99]) {
    const viaDropout = tf.dropout(tf.ones(shape), 0.5, undefined, seed);
    const mask = dropoutMask(shape, 0.5, seed);
    expect(Array.from(mask.dataSync())).toEqual(Array.from(viaDropout.dataSync()));
    expect(new Set(mask.dataSync())).toEqual(new Set([0, 2]));
    tf.dispose([viaDropout, mask]);
  }
  expect(() => dropoutMask(shape, 1, 1)).toThrow(/rate/);
});
