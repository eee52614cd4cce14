import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { describe, expect, test } from 'vitest';
import {
  maxPool2x2,
  maxPoolWithSwitches,
  nearestUnpool,
  ratioUnpool,
  refMaxPoolWithSwitches,
  refNearestUnpool,
  refRatioUnpool,
  refSwitchUnpool,
  switchUnpool,
  type NhwcArray,
  type Shape4,
} from '@unpool/ops';
import { selectBackend } from '@unpool/runtime';
import { nchwToNhwc, nhwcToNchw } from '../src/layout.js';
import { emitMaxPool, emitNearestUpsample, ONNX_UNPOOL } from '../src/unpool_nodes.js';
import { maxAbs, patternModel, rng, session } from './helpers.js';

// Each ONNX pattern the exporter emits, run in ORT against the tfjs op of @unpool/ops (on both tfjs
// backends the exporter is checked with) and against the ops package's loop references.

const X_SHAPE: Shape4 = [3, 4, 6, 2]; // odd batch, two channels: a NHWC/NCHW index mix-up cannot hide
const [N, H, W, C] = X_SHAPE;
const Y_SHAPE: Shape4 = [N, H / 2, W / 2, C];
const nchw = (s: Shape4) => [s[0], s[3], s[1], s[2]];

type WindowKind = 'zeros' | 'tie' | 'allEqual' | 'distinct' | 'negative';
const KINDS: WindowKind[] = ['zeros', 'tie', 'allEqual', 'distinct', 'negative'];

/**
 * Pre-pool tensor whose 2x2 windows cycle through the cases that separate tie conventions: all zero
 * (each all-zero window after a ReLU), two equal maxima, four equal values, distinct values, all negative
 * (the wasm MaxPoolWithArgmax bug). Values are multiples of 1/8, exact in float32. `nonNegative` maps
 * negative windows to ties (ratio unpooling only ever sees ReLU outputs).
 */
function windowCases(seed: number, nonNegative: boolean): { x: NhwcArray; kinds: WindowKind[] } {
  const rand = rng(seed);
  const data = new Array<number>(N * H * W * C).fill(0);
  const kinds: WindowKind[] = [];
  let k = 0;
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < H; i += 2) {
      for (let j = 0; j < W; j += 2) {
        for (let c = 0; c < C; c++) {
          let kind = KINDS[k++ % KINDS.length];
          if (nonNegative && kind === 'negative') kind = 'tie';
          const v = 1 + Math.floor(rand() * 8);
          let win: number[];
          if (kind === 'zeros') win = [0, 0, 0, 0];
          else if (kind === 'allEqual') win = [v, v, v, v].map((a) => a / 8);
          else if (kind === 'distinct') win = [0, 1, 2, 3].map((a) => (a + v) / 8).sort(() => rand() - 0.5);
          else if (kind === 'negative') win = [-1, -2, -1, -3].map((a) => (a * v) / 8).sort(() => rand() - 0.5);
          else {
            // Two maxima at random distinct positions, the rest smaller (zero here, as after a ReLU).
            win = [0, 0, 0, 0];
            const a = Math.floor(rand() * 4);
            const b = (a + 1 + Math.floor(rand() * 3)) % 4;
            win[a] = win[b] = v / 8;
          }
          kinds.push(kind);
          [[0, 0], [0, 1], [1, 0], [1, 1]].forEach(([dh, dw], p) => {
            data[((n * H + i + dh) * W + j + dw) * C + c] = win[p];
          });
        }
      }
    }
  }
  return { x: { shape: X_SHAPE, data }, kinds };
}

function decoderValues(seed: number): NhwcArray {
  const rand = rng(seed);
  // Nonzero everywhere, so a value landing anywhere shows.
  return { shape: Y_SHAPE, data: Array.from({ length: Y_SHAPE.reduce((a, b) => a * b) }, () => (1 + Math.floor(rand() * 15)) / 8 * (rand() < 0.5 ? -1 : 1)) };
}

const floatIn = (a: NhwcArray) => new ort.Tensor('float32', nhwcToNchw(a.data, a.shape), nchw(a.shape));

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`ONNX unpooling patterns vs tfjs ops on ${backend}`, () => {
    test('backend', async () => {
      expect(await selectBackend(backend)).toBe(backend);
    });

    test('switch: MaxPool Indices + MaxUnpool match maxPoolWithSwitches + switchUnpool, ties and all-zero windows included', async () => {
      const { x, kinds } = windowCases(11, false);
      const y = decoderValues(12);
      for (const kind of KINDS) expect(kinds.filter((k) => k === kind).length).toBeGreaterThanOrEqual(3);
      const bytes = patternModel(
        [{ name: 'x', dims: nchw(X_SHAPE) }, { name: 'y', dims: nchw(Y_SHAPE) }],
        [{ name: 'out', dims: nchw(X_SHAPE) }, { name: 'pool', dims: nchw(Y_SHAPE) }, { name: 'pool.indices', dims: nchw(Y_SHAPE), type: 'INT64' }],
        (t, { x, y }) => {
          const skip = emitMaxPool(t, x, true);
          return { out: ONNX_UNPOOL.switch.emit(t, y, skip), pool: skip.pooled, 'pool.indices': skip.indices! };
        },
      );
      const s = await session(bytes);
      const r = await s.run({ x: floatIn(x), y: floatIn(y) });
      await s.release();
      const out = nchwToNhwc(r.out.data as Float32Array, r.out.dims);
      const pooled = nchwToNhwc(r.pool.data as Float32Array, r.pool.dims);
      // ONNX indices are NCHW-flat; map each to the NHWC-flat position it names.
      const idx = Array.from(r['pool.indices'].data as BigInt64Array, Number);
      const nhwcIdx = Array.from(nchwToNhwc(idx.map((f) => {
        const w = f % W, h = Math.floor(f / W) % H, c = Math.floor(f / (W * H)) % C, n = Math.floor(f / (W * H * C));
        return ((n * H + h) * W + w) * C + c;
      }), nchw(Y_SHAPE)));

      const ours = tf.tidy(() => {
        const { pooled: p, switches } = maxPoolWithSwitches(tf.tensor4d(x.data, [...X_SHAPE]));
        const u = switchUnpool(tf.tensor4d(y.data, [...Y_SHAPE]), switches, X_SHAPE);
        return { p: Array.from(p.dataSync()), sw: Array.from(switches.dataSync()), u: Array.from(u.dataSync()) };
      });
      expect(nhwcIdx).toEqual(ours.sw);
      expect(Array.from(pooled)).toEqual(ours.p);
      expect(Array.from(out)).toEqual(ours.u);

      const ref = refMaxPoolWithSwitches(x);
      expect(Array.from(out)).toEqual(refSwitchUnpool(y, ref.switches, X_SHAPE).data);

      // The inputs can tell tie conventions apart: the last-maximum rule places values elsewhere.
      const lastMax = ref.switches.data.map((at, k) => {
        const [n, i, j, c] = [Math.floor(k / (Y_SHAPE[1] * Y_SHAPE[2] * C)), Math.floor(k / (Y_SHAPE[2] * C)) % Y_SHAPE[1], Math.floor(k / C) % Y_SHAPE[2], k % C];
        let best = at;
        for (const [dh, dw] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
          const q = ((n * H + 2 * i + dh) * W + 2 * j + dw) * C + c;
          if (x.data[q] >= x.data[best]) best = q;
        }
        return best;
      });
      expect(refSwitchUnpool(y, { shape: Y_SHAPE, data: lastMax }, X_SHAPE).data).not.toEqual(Array.from(out));
    });

    test('ratio: Where(Equal(p,0),0,Div(y,p)) -> Resize -> Mul matches ratioUnpool, all-zero pools included', async () => {
      const { x, kinds } = windowCases(21, true);
      const y = decoderValues(22);
      expect(kinds.filter((k) => k === 'zeros').length).toBeGreaterThanOrEqual(3);
      const bytes = patternModel(
        [{ name: 'x', dims: nchw(X_SHAPE) }, { name: 'y', dims: nchw(Y_SHAPE) }],
        [{ name: 'out', dims: nchw(X_SHAPE) }],
        (t, { x, y }) => ({ out: ONNX_UNPOOL.ratio.emit(t, y, emitMaxPool(t, x, false)) }),
      );
      const s = await session(bytes);
      const r = await s.run({ x: floatIn(x), y: floatIn(y) });
      await s.release();
      const out = nchwToNhwc(r.out.data as Float32Array, r.out.dims);
      expect(out.every(Number.isFinite)).toBe(true);

      const ours = tf.tidy(() => {
        const xt = tf.tensor4d(x.data, [...X_SHAPE]);
        return ratioUnpool(tf.tensor4d(y.data, [...Y_SHAPE]), xt, maxPool2x2(xt)).dataSync();
      });
      // Same IEEE float32 division and product on both sides.
      expect(maxAbs(out, ours)).toBeLessThanOrEqual(1e-6);
      const ref = refRatioUnpool(y, x, refMaxPoolWithSwitches(x).pooled);
      expect(maxAbs(out, ref.data)).toBeLessThanOrEqual(1e-5);
      // Ratio unpooling keeps the encoder's pattern: zero where x is zero, nonzero where x is not.
      x.data.forEach((v, q) => expect(out[q] === 0).toBe(v === 0));
    });

    test('nearest: Resize(nearest, asymmetric, floor, x2) matches nearestUnpool', async () => {
      const y = decoderValues(31);
      const bytes = patternModel([{ name: 'y', dims: nchw(Y_SHAPE) }], [{ name: 'out', dims: nchw(X_SHAPE) }], (t, { y }) => ({ out: emitNearestUpsample(t, y) }));
      const s = await session(bytes);
      const r = await s.run({ y: floatIn(y) });
      await s.release();
      const out = Array.from(nchwToNhwc(r.out.data as Float32Array, r.out.dims));
      expect(out).toEqual(Array.from(tf.tidy(() => nearestUnpool(tf.tensor4d(y.data, [...Y_SHAPE])).dataSync())));
      expect(out).toEqual(refNearestUnpool(y).data);
    });
  });
}
