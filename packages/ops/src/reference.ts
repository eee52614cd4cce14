/**
 * Loop-based reference versions of this package's ops on plain JS arrays (float64), written to be
 * obviously right rather than fast, for tests here and in other packages (e.g. ONNX export checks).
 * Layout: NHWC, flattened row-major, as tfjs stores tensors.
 */

export type Shape4 = readonly [number, number, number, number];

/** A 4-d NHWC array: `data[((n*H + h)*W + w)*C + c]`. */
export interface NhwcArray {
  shape: Shape4;
  data: number[];
}

/** Flat NHWC index of [n,h,w,c] in `shape` (the switch format, batch included). */
export function nhwcIndex(shape: Shape4, n: number, h: number, w: number, c: number): number {
  const [, H, W, C] = shape;
  return ((n * H + h) * W + w) * C + c;
}

function zeros(shape: Shape4): NhwcArray {
  return { shape, data: new Array<number>(shape[0] * shape[1] * shape[2] * shape[3]).fill(0) };
}

function halfShape(op: string, shape: Shape4): Shape4 {
  const [n, h, w, c] = shape;
  if (h % 2 !== 0 || w % 2 !== 0) throw new Error(`${op}: height and width must be even, got [${shape.join(',')}]`);
  return [n, h / 2, w / 2, c];
}

function sameShape(op: string, a: Shape4, b: Shape4): void {
  if (a.some((d, i) => d !== b[i])) throw new Error(`${op}: shapes [${a.join(',')}] and [${b.join(',')}] differ`);
}

/** Each 2x2 window's maximum and the flat index of its first (row-major) maximal position. */
export function refMaxPoolWithSwitches(x: NhwcArray): { pooled: NhwcArray; switches: NhwcArray } {
  const ps = halfShape('refMaxPoolWithSwitches', x.shape);
  const pooled = zeros(ps);
  const switches = zeros(ps);
  for (let n = 0; n < ps[0]; n++) {
    for (let i = 0; i < ps[1]; i++) {
      for (let j = 0; j < ps[2]; j++) {
        for (let c = 0; c < ps[3]; c++) {
          let best = -Infinity;
          let bestAt = -1;
          for (let dh = 0; dh < 2; dh++) {
            for (let dw = 0; dw < 2; dw++) {
              const at = nhwcIndex(x.shape, n, 2 * i + dh, 2 * j + dw, c);
              if (bestAt < 0 || x.data[at] > best) {
                best = x.data[at];
                bestAt = at;
              }
            }
          }
          pooled.data[nhwcIndex(ps, n, i, j, c)] = best;
          switches.data[nhwcIndex(ps, n, i, j, c)] = bestAt;
        }
      }
    }
  }
  return { pooled, switches };
}

export function refMaxPool2x2(x: NhwcArray): NhwcArray {
  return refMaxPoolWithSwitches(x).pooled;
}

/** Gradient of 2x2 max pooling w.r.t. x: each window's incoming gradient goes to its first maximum. */
export function refMaxPool2x2Grad(x: NhwcArray, dPooled: NhwcArray): NhwcArray {
  const { switches } = refMaxPoolWithSwitches(x);
  sameShape('refMaxPool2x2Grad', switches.shape, dPooled.shape);
  return refSwitchUnpool(dPooled, switches, x.shape);
}

/** Bed-of-nails unpooling: y[k] at flat position switches[k] of a zero array of `outShape`. */
export function refSwitchUnpool(y: NhwcArray, switches: NhwcArray, outShape: Shape4): NhwcArray {
  sameShape('refSwitchUnpool', y.shape, switches.shape);
  const out = zeros(outShape);
  y.data.forEach((v, k) => {
    out.data[switches.data[k]] += v;
  });
  return out;
}

/** Gradient of switch unpooling w.r.t. y: the incoming gradient read at the switch positions. */
export function refSwitchUnpoolGrad(dOut: NhwcArray, switches: NhwcArray): NhwcArray {
  return { shape: switches.shape, data: switches.data.map((at) => dOut.data[at]) };
}

/** out[n,h,w,c] = y[n,floor(h/2),floor(w/2),c]. */
export function refUpsampleNearest2x(y: NhwcArray): NhwcArray {
  const [n, h, w, c] = y.shape;
  const out = zeros([n, 2 * h, 2 * w, c]);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < 2 * h; i++) {
      for (let j = 0; j < 2 * w; j++) {
        for (let k = 0; k < c; k++) {
          out.data[nhwcIndex(out.shape, b, i, j, k)] = y.data[nhwcIndex(y.shape, b, Math.floor(i / 2), Math.floor(j / 2), k)];
        }
      }
    }
  }
  return out;
}

export const refNearestUnpool = refUpsampleNearest2x;

/** Sum over each 2x2 stride-2 window (the adjoint of refUpsampleNearest2x). */
export function refWindowSum2x2(t: NhwcArray): NhwcArray {
  const ps = halfShape('refWindowSum2x2', t.shape);
  const out = zeros(ps);
  for (let b = 0; b < t.shape[0]; b++) {
    for (let i = 0; i < t.shape[1]; i++) {
      for (let j = 0; j < t.shape[2]; j++) {
        for (let k = 0; k < t.shape[3]; k++) {
          out.data[nhwcIndex(ps, b, Math.floor(i / 2), Math.floor(j / 2), k)] += t.data[nhwcIndex(t.shape, b, i, j, k)];
        }
      }
    }
  }
  return out;
}

/** Ratio unpooling: out[n,h,w,c] = (y/p)[n,h/2,w/2,c] * prePool[n,h,w,c], the ratio 0 where p == 0. */
export function refRatioUnpool(y: NhwcArray, prePool: NhwcArray, pooled: NhwcArray): NhwcArray {
  sameShape('refRatioUnpool', y.shape, pooled.shape);
  sameShape('refRatioUnpool', halfShape('refRatioUnpool', prePool.shape), pooled.shape);
  const out = zeros(prePool.shape);
  const [n, h, w, c] = prePool.shape;
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        for (let k = 0; k < c; k++) {
          const at = nhwcIndex(pooled.shape, b, Math.floor(i / 2), Math.floor(j / 2), k);
          const ratio = pooled.data[at] === 0 ? 0 : y.data[at] / pooled.data[at];
          const full = nhwcIndex(prePool.shape, b, i, j, k);
          out.data[full] = ratio * prePool.data[full];
        }
      }
    }
  }
  return out;
}

/**
 * Gradients of refRatioUnpool for the incoming gradient `dOut` (prePool-shaped), straight from the
 * chain rule per element: out[q] = y[P(q)] / p[P(q)] * x[q] with P(q) the pooled position of q.
 */
export function refRatioUnpoolGrads(
  y: NhwcArray,
  prePool: NhwcArray,
  pooled: NhwcArray,
  dOut: NhwcArray,
): { dy: NhwcArray; dPrePool: NhwcArray; dPooled: NhwcArray } {
  sameShape('refRatioUnpoolGrads', prePool.shape, dOut.shape);
  const dy = zeros(y.shape);
  const dPrePool = zeros(prePool.shape);
  const dPooled = zeros(pooled.shape);
  const [n, h, w, c] = prePool.shape;
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        for (let k = 0; k < c; k++) {
          const at = nhwcIndex(pooled.shape, b, Math.floor(i / 2), Math.floor(j / 2), k);
          const full = nhwcIndex(prePool.shape, b, i, j, k);
          const p = pooled.data[at];
          if (p === 0) continue; // the ratio is the constant 0 there: no gradient to any input
          const g = dOut.data[full];
          const x = prePool.data[full];
          dPrePool.data[full] = (y.data[at] / p) * g;
          dy.data[at] += (g * x) / p;
          dPooled.data[at] += (-g * x * y.data[at]) / (p * p);
        }
      }
    }
  }
  return { dy, dPrePool, dPooled };
}
