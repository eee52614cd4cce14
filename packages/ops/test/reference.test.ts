import { describe, expect, it } from 'vitest';
import {
  refMaxPool2x2Grad,
  refMaxPoolWithSwitches,
  refRatioUnpool,
  refRatioUnpoolGrads,
  refSwitchUnpool,
  refSwitchUnpoolGrad,
  refUpsampleNearest2x,
  refWindowSum2x2,
  type NhwcArray,
} from '../src/index.js';
import { expectClose, finiteDiff, rng, uniform, weightedSum } from './helpers.js';

// The loop references are the yardstick for every other test, so they are checked here against values
// worked out by hand and against float64 finite differences.

describe('loop references', () => {
  // One row of windows, [1,2,8,1]: columns pair up as (0,1), (2,3), (4,5), (6,7).
  const x: NhwcArray = {
    shape: [1, 2, 8, 1],
    data: [
      0, 0, -3, -1, 5, 1, 2, 7,
      0, 0, -2, -1, 5, 9, 2, 7,
    ],
  };

  it('pool to the first maximum in row-major window order', () => {
    const { pooled, switches } = refMaxPoolWithSwitches(x);
    expect(pooled.shape).toEqual([1, 1, 4, 1]);
    expect(pooled.data).toEqual([0, -1, 9, 7]);
    // all-zero window -> (0,0) = 0; -1 tie -> (0,3) = 3; unique 9 at (1,5) = 13; 7 tie -> (0,7) = 7
    expect(switches.data).toEqual([0, 3, 13, 7]);
  });

  it('unpool by switches into an otherwise zero tensor, and gather back', () => {
    const { switches } = refMaxPoolWithSwitches(x);
    const y: NhwcArray = { shape: [1, 1, 4, 1], data: [10, 20, 30, 40] };
    const out = refSwitchUnpool(y, switches, x.shape);
    expect(out.data).toEqual([10, 0, 0, 20, 0, 0, 0, 40, 0, 0, 0, 0, 0, 30, 0, 0]);
    expect(refSwitchUnpoolGrad(out, switches).data).toEqual(y.data);
    expect(refMaxPool2x2Grad(x, y).data).toEqual(out.data);
  });

  it('ratio-unpool a window by y/p, and to zeros where p is 0 even for negative prePool', () => {
    const prePool: NhwcArray = { shape: [1, 2, 4, 1], data: [1, 4, 0, -3, 2, 0, -1, -2] };
    const pooled: NhwcArray = { shape: [1, 1, 2, 1], data: [4, 0] };
    const y: NhwcArray = { shape: [1, 1, 2, 1], data: [2, 5] };
    const out = refRatioUnpool(y, prePool, pooled).data.map((v) => v + 0); // -0 -> 0
    expect(out).toEqual([0.5, 2, 0, 0, 1, 0, 0, 0]);
  });

  it('upsample by repetition and window-sum as its adjoint', () => {
    const y: NhwcArray = { shape: [1, 1, 2, 2], data: [1, 2, 3, 4] };
    expect(refUpsampleNearest2x(y).data).toEqual([1, 2, 1, 2, 3, 4, 3, 4, 1, 2, 1, 2, 3, 4, 3, 4]);
    const rand = rng(7);
    const a = uniform([2, 3, 2, 3], rand);
    const b = uniform([2, 6, 4, 3], rand);
    expect(weightedSum(refUpsampleNearest2x(a), b)).toBeCloseTo(weightedSum(a, refWindowSum2x2(b)), 12);
  });

  it('give ratio-unpooling gradients that match float64 finite differences', () => {
    const rand = rng(11);
    const shape = [2, 4, 2, 3] as const;
    const pooledShape = [2, 2, 1, 3] as const;
    const x = uniform(shape, rand);
    const y = uniform(pooledShape, rand);
    const p = uniform(pooledShape, rand, 0.5, 2);
    p.data[0] = 0; // a zero window: all gradients there are 0 (no finite difference through p there)
    const w = uniform(shape, rand);
    const { dy, dPrePool, dPooled } = refRatioUnpoolGrads(y, x, p, w);
    expectClose(dy, finiteDiff((t) => weightedSum(refRatioUnpool(t, x, p), w), y), 'dy', 1e-7, 1e-7);
    expectClose(dPrePool, finiteDiff((t) => weightedSum(refRatioUnpool(y, t, p), w), x), 'dPrePool', 1e-7, 1e-7);
    // p = 0 is a jump of the ratio, not a point where finite differences mean anything: compare the rest.
    const fdP = finiteDiff((t) => weightedSum(refRatioUnpool(y, x, t), w), p);
    const rest = (a: NhwcArray): NhwcArray => ({ shape: [1, 1, 1, a.data.length - 1], data: a.data.slice(1) });
    expectClose(rest(dPooled), rest(fdP), 'dPooled', 1e-6, 1e-7);
    expect(dPooled.data[0]).toBe(0);
    expect(dy.data[0]).toBe(0);
  });
});
