import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import type { NhwcArray, Shape4 } from '../src/index.js';

/** Both backends every test runs on. */
export const BACKENDS = ['cpu', 'wasm'] as const;

/** mulberry32: a tiny seeded PRNG so every run sees the same "random" inputs. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Multiples of 1/64 are exact in float32, so tensors and float64 references see the same inputs. */
function q(v: number): number {
  return Math.round(v * 64) / 64;
}

export function size(shape: Shape4): number {
  return shape[0] * shape[1] * shape[2] * shape[3];
}

export function uniform(shape: Shape4, rand: () => number, lo = -1, hi = 1): NhwcArray {
  return { shape, data: Array.from({ length: size(shape) }, () => q(lo + (hi - lo) * rand())) };
}

/** Fills every 2x2 window (per channel) of `shape` with the four values `fill` returns. */
function byWindow(shape: Shape4, fill: () => [number, number, number, number]): NhwcArray {
  const [n, h, w, c] = shape;
  const data = new Array<number>(size(shape)).fill(0);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < h; i += 2) {
      for (let j = 0; j < w; j += 2) {
        for (let k = 0; k < c; k++) {
          const v = fill();
          data[((b * h + i) * w + j) * c + k] = v[0];
          data[((b * h + i) * w + j + 1) * c + k] = v[1];
          data[((b * h + i + 1) * w + j) * c + k] = v[2];
          data[((b * h + i + 1) * w + j + 1) * c + k] = v[3];
        }
      }
    }
  }
  return { shape, data };
}

/**
 * Windows of every awkward kind, mixed at random: all zero (a dead ReLU), all equal and negative, a
 * maximum of exactly 0 above negatives, two- and four-way ties of a positive maximum, all negative,
 * ReLU-like zeros and positives, and plain random values. Every kind occurs if there are at least 8
 * windows.
 */
export function awkwardWindows(shape: Shape4, rand: () => number): NhwcArray {
  const v = (lo: number, hi: number) => q(lo + (hi - lo) * rand());
  const kinds: Array<() => [number, number, number, number]> = [
    () => [0, 0, 0, 0],
    () => {
      const a = v(-2, -0.1);
      return [a, a, a, a];
    },
    () => [0, v(-2, -0.1), v(-2, -0.1), v(-2, -0.1)],
    () => {
      const m = v(0.5, 2);
      const lo = v(-1, 0.4);
      const out: [number, number, number, number] = [lo, lo, lo, lo];
      const first = Math.floor(rand() * 4);
      out[first] = m;
      out[(first + 1 + Math.floor(rand() * 3)) % 4] = m;
      return out;
    },
    () => {
      const m = v(0.5, 2);
      return [m, m, m, m];
    },
    () => [v(-2, -0.1), v(-2, -0.1), v(-2, -0.1), v(-2, -0.1)],
    () => [0, v(0, 1), 0, rand() < 0.5 ? 0 : v(0, 1)],
    () => [v(-2, 2), v(-2, 2), v(-2, 2), v(-2, 2)],
  ];
  let count = 0;
  return byWindow(shape, () => {
    // The first windows go through every kind once, so even a small tensor holds each of them.
    const kind = count < kinds.length ? count : Math.floor(rand() * kinds.length);
    count++;
    const vals = kinds[kind]();
    // Rotate so that special positions (the 0 above negatives, tie partners) land anywhere.
    const r = Math.floor(rand() * 4);
    return [vals[r % 4], vals[(r + 1) % 4], vals[(r + 2) % 4], vals[(r + 3) % 4]];
  });
}

/**
 * Windows without ties: four values 0.25 apart in random order, the maximum's magnitude at least 0.25
 * (positive or all-negative windows), so a finite-difference step of 1e-4 never moves an argmax and no
 * pooled value is near 0.
 */
export function tieFreeWindows(shape: Shape4, rand: () => number): NhwcArray {
  return byWindow(shape, () => {
    const negative = rand() < 0.3;
    const base = negative ? -2 + q(rand()) : 0.25 + q(rand());
    const vals = [0, 1, 2, 3].map((s) => base - 0.25 * s);
    for (let i = 3; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [vals[i], vals[j]] = [vals[j], vals[i]];
    }
    return vals as [number, number, number, number];
  });
}

export function toTensor(a: NhwcArray, dtype: 'float32' | 'int32' = 'float32'): tf.Tensor4D {
  return tf.tensor4d(a.data, [...a.shape], dtype);
}

export async function fromTensor(t: tf.Tensor): Promise<NhwcArray> {
  return { shape: t.shape as unknown as Shape4, data: Array.from(await t.data()) };
}

/** Elementwise |a - e| <= atol + rtol * |e|, reporting the worst offender on failure. */
export function expectClose(actual: NhwcArray, expected: NhwcArray, label: string, rtol = 1e-5, atol = 1e-6): void {
  expect(actual.shape, `${label}: shape`).toEqual(expected.shape);
  let worst = -1;
  let worstExcess = 0;
  actual.data.forEach((a, i) => {
    const e = expected.data[i];
    const excess = Math.abs(a - e) - (atol + rtol * Math.abs(e));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) {
      worst = i;
      worstExcess = excess;
    }
  });
  const detail = worst < 0 ? 'ok' : `index ${worst}: got ${actual.data[worst]}, expected ${expected.data[worst]}`;
  expect(detail, label).toBe('ok');
}

/** Central differences of the scalar `loss` w.r.t. every entry of `a` (float64). */
export function finiteDiff(loss: (a: NhwcArray) => number, a: NhwcArray, h = 1e-4): NhwcArray {
  const data = a.data.map((_, i) => {
    const plus = { shape: a.shape, data: a.data.slice() };
    const minus = { shape: a.shape, data: a.data.slice() };
    plus.data[i] += h;
    minus.data[i] -= h;
    return (loss(plus) - loss(minus)) / (2 * h);
  });
  return { shape: a.shape, data };
}

/** sum(out * weights): turns an op into a scalar loss whose gradient w.r.t. out is `weights`. */
export function weightedSum(out: NhwcArray, weights: NhwcArray): number {
  return out.data.reduce((s, v, i) => s + v * weights.data[i], 0);
}
