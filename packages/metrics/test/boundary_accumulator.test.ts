import { describe, expect, it } from 'vitest';
import { BoundaryAccumulator, diskOffsets, labelBoundary } from '../src/index.js';
import { mulberry32 } from './prng.js';

const VOID = 255;

/** Boundary by definition: valid pixel with a valid 4-neighbour of another label. */
function bruteBoundary(labels: number[], valid: boolean[], h: number, w: number): boolean[] {
  const out: boolean[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      let b = false;
      if (valid[p]) {
        for (const [dy, dx] of [[-1, 0], [1, 0], [0, -1], [0, 1]]) {
          const yy = y + dy;
          const xx = x + dx;
          if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
          const q = yy * w + xx;
          if (valid[q] && labels[q] !== labels[p]) b = true;
        }
      }
      out.push(b);
    }
  }
  return out;
}

/** Squared distance from p to the nearest pixel satisfying `ok`, scanning the whole image. */
function nearestSq(p: number, w: number, n: number, ok: (q: number) => boolean): number {
  const y = Math.floor(p / w);
  const x = p % w;
  let best = Infinity;
  for (let q = 0; q < n; q++) {
    if (!ok(q)) continue;
    const d2 = (Math.floor(q / w) - y) ** 2 + ((q % w) - x) ** 2;
    if (d2 < best) best = d2;
  }
  return best;
}

interface BruteCounts {
  predBoundary: number[];
  predMatched: number[];
  gtBoundary: number[];
  gtMatched: number[];
  trimap: number[]; // 20x20, rows GT
}

function bruteForce(pred: number[], label: number[], h: number, w: number, d: number, t: number): BruteCounts {
  const n = h * w;
  const gt = label.map((v) => (v === VOID ? 19 : v));
  const valid = gt.map((g) => g !== 19);
  const gtB = bruteBoundary(gt, valid, h, w);
  const prB = bruteBoundary(pred, valid, h, w);
  const z = (): number[] => new Array<number>(19).fill(0);
  const r: BruteCounts = { predBoundary: z(), predMatched: z(), gtBoundary: z(), gtMatched: z(), trimap: new Array<number>(400).fill(0) };
  for (let p = 0; p < n; p++) {
    if (prB[p] && pred[p] < 19) {
      const c = pred[p];
      r.predBoundary[c] += 1;
      if (nearestSq(p, w, n, (q) => gtB[q] && gt[q] === c) <= d * d) r.predMatched[c] += 1;
    }
    if (gtB[p]) {
      const c = gt[p];
      r.gtBoundary[c] += 1;
      if (nearestSq(p, w, n, (q) => prB[q] && pred[q] === c) <= d * d) r.gtMatched[c] += 1;
    }
    if (valid[p] && nearestSq(p, w, n, (q) => gtB[q]) <= t * t) r.trimap[gt[p] * 20 + pred[p]] += 1;
  }
  return r;
}

/** Blocky random label map: rectangles of a few classes, some void specks. */
function randomMaps(rnd: () => number, h: number, w: number): { label: number[]; pred: number[] } {
  const classes = [0, 1, 2, 11, 13];
  const pick = (): number => classes[Math.floor(rnd() * classes.length)];
  const paint = (map: number[], value: () => number, rects: number): void => {
    for (let k = 0; k < rects; k++) {
      const y0 = Math.floor(rnd() * h);
      const x0 = Math.floor(rnd() * w);
      const y1 = Math.min(h, y0 + 1 + Math.floor(rnd() * h * 0.6));
      const x1 = Math.min(w, x0 + 1 + Math.floor(rnd() * w * 0.6));
      const v = value();
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) map[y * w + x] = v;
    }
  };
  const label = new Array<number>(h * w).fill(pick());
  paint(label, pick, 5);
  paint(label, () => VOID, 1);
  const pred = label.map((v) => (v === VOID ? pick() : v));
  paint(pred, pick, 2);
  for (let i = 0; i < pred.length; i++) {
    const u = rnd();
    if (u < 0.08) pred[i] = pick();
    else if (u < 0.1) pred[i] = 19;
  }
  return { label, pred };
}

function scoresOf(pred: number[], label: number[], h: number, w: number, tolerance: number, trimapWidth?: number) {
  return new BoundaryAccumulator({ tolerance, trimapWidth }).update(pred, label, h, w).scores();
}

describe('diskOffsets', () => {
  it('holds the integer offsets of a Euclidean disk, nearest first', () => {
    // r=0: centre; r=1: + 4 neighbours; r=1.5: + 4 diagonals (sqrt 2); r=2: + 4 at distance 2 (not (1,2): sqrt 5)
    expect(diskOffsets(0).length / 2).toBe(1);
    expect(diskOffsets(1).length / 2).toBe(5);
    expect(diskOffsets(1.5).length / 2).toBe(9);
    expect(diskOffsets(Math.SQRT2).length / 2).toBe(9);
    expect(diskOffsets(2).length / 2).toBe(13);
    const d = diskOffsets(3);
    let prev = -1;
    for (let k = 0; k < d.length; k += 2) {
      const d2 = d[k] ** 2 + d[k + 1] ** 2;
      expect(d2).toBeLessThanOrEqual(9);
      expect(d2).toBeGreaterThanOrEqual(prev);
      prev = d2;
    }
    expect(() => diskOffsets(-1)).toThrow(/radius/);
  });
});

describe('labelBoundary', () => {
  it('marks both sides of a label change, not the image border, and not edges against invalid pixels', () => {
    // 1x5 row: labels 0 0 1 1 2, last pixel invalid -> only the 0|1 edge counts
    const b = labelBoundary([0, 0, 1, 1, 2], [1, 1, 1, 1, 0], 1, 5);
    expect(Array.from(b)).toEqual([0, 1, 1, 0, 0]);
  });
});

describe('BoundaryAccumulator', () => {
  it('matches a brute-force nearest-boundary computation on random label maps', () => {
    const rnd = mulberry32(42);
    const cases: [number, number, number, number][] = [
      [9, 13, 0, 0],
      [10, 10, 1, 2],
      [12, 9, 1.5, 1],
      [8, 16, 2, 2],
      [11, 14, 3, 1.5],
    ];
    for (const [h, w, d, t] of cases) {
      for (let rep = 0; rep < 3; rep++) {
        const { label, pred } = randomMaps(rnd, h, w);
        const acc = new BoundaryAccumulator({ tolerance: d, trimapWidth: t }).update(pred, label, h, w);
        const ref = bruteForce(pred, label, h, w, d, t);
        expect(Array.from(acc.predBoundary)).toEqual(ref.predBoundary);
        expect(Array.from(acc.predMatched)).toEqual(ref.predMatched);
        expect(Array.from(acc.gtBoundary)).toEqual(ref.gtBoundary);
        expect(Array.from(acc.gtMatched)).toEqual(ref.gtMatched);
        expect(Array.from(acc.trimap.counts)).toEqual(ref.trimap);
        // the random maps must actually exercise boundaries
        expect(ref.gtBoundary.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
        // scores are the pooled ratios of those counts
        const s = acc.scores();
        for (let c = 0; c < 19; c++) {
          const P = ref.predBoundary[c] > 0 ? ref.predMatched[c] / ref.predBoundary[c] : null;
          const R = ref.gtBoundary[c] > 0 ? ref.gtMatched[c] / ref.gtBoundary[c] : null;
          expect(s.perClass[c].precision).toBe(P);
          expect(s.perClass[c].recall).toBe(R);
          if (P === null && R === null) expect(s.perClass[c].f).toBeNull();
          else if (P === null || R === null || P + R === 0) expect(s.perClass[c].f).toBe(0);
          else expect(s.perClass[c].f).toBeCloseTo((2 * P * R) / (P + R), 12);
        }
      }
    }
  });

  it('scores a perfect prediction 1 at every tolerance', () => {
    const rnd = mulberry32(3);
    const { label } = randomMaps(rnd, 10, 12);
    const pred = label.map((v) => (v === VOID ? 7 : v)); // anything on void pixels
    for (const d of [0, 1, 2]) {
      const s = scoresOf(pred, label, 10, 12, d);
      expect(s.meanF).toBe(1);
      expect(s.overall.f).toBe(1);
      expect(s.trimap.miou).toBe(1);
      for (const c of s.absentClasses) expect(s.perClass[c].gtBoundary).toBe(0);
    }
  });

  it('a vertical edge moved by one pixel: F = 1 for d >= 1, F = 0 for d = 0', () => {
    // 8x12, GT: cols 0..5 road (0), cols 6..11 car (13); prediction: the edge one column right.
    // GT boundary: col 5 (road), col 6 (car); predicted: col 6 (road), col 7 (car).
    // d = 0: no predicted road boundary pixel coincides with a GT road boundary pixel (col 6 vs 5), same for car.
    const h = 8;
    const w = 12;
    const label: number[] = [];
    const pred: number[] = [];
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        label.push(x <= 5 ? 0 : 13);
        pred.push(x <= 6 ? 0 : 13);
      }
    }
    const s0 = scoresOf(pred, label, h, w, 0);
    expect(s0.perClass[0]).toMatchObject({ predBoundary: 8, predMatched: 0, gtBoundary: 8, gtMatched: 0, f: 0 });
    expect(s0.meanF).toBe(0);
    for (const d of [1, 2]) {
      const s = scoresOf(pred, label, h, w, d);
      expect(s.perClass[0].f).toBe(1);
      expect(s.perClass[13].f).toBe(1);
      expect(s.meanF).toBe(1);
      expect(s.absentClasses).toHaveLength(17);
    }
  });

  it('an object shifted by one pixel scores 1 with d >= 1 and less than 1 with d = 0', () => {
    const h = 9;
    const w = 12;
    const make = (x0: number): number[] => {
      const m: number[] = [];
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) m.push(y >= 2 && y <= 5 && x >= x0 && x <= x0 + 3 ? 11 : 0);
      return m;
    };
    const label = make(3);
    const pred = make(4);
    const s0 = scoresOf(pred, label, h, w, 0);
    expect(s0.meanF).toBeGreaterThan(0); // top and bottom rows overlap partly
    expect(s0.meanF).toBeLessThan(1);
    expect(scoresOf(pred, label, h, w, 1).meanF).toBe(1);
    expect(scoresOf(pred, label, h, w, 2).overall.f).toBe(1);
  });

  it('trimap IoU only sees pixels near ground-truth borders', () => {
    // 8x12 vertical edge between cols 5 and 6 (road | car).
    const h = 8;
    const w = 12;
    const label: number[] = [];
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) label.push(x <= 5 ? 0 : 13);
    // band = 8 rows x columns within t of col 5 or 6: t=0 -> 2 cols, t=1 -> 4, t=2 -> 6
    expect(scoresOf(label, label, h, w, 2, 0).trimap.pixels).toBe(16);
    expect(scoresOf(label, label, h, w, 2, 1).trimap.pixels).toBe(32);
    expect(scoresOf(label, label, h, w, 2, 2).trimap.pixels).toBe(48);

    // An error far from the border (col 0) leaves the trimap IoU at 1 ...
    const far = label.slice();
    far[3 * w + 0] = 13;
    expect(scoresOf(far, label, h, w, 1, 2).trimap.miou).toBe(1);
    // ... while one next to it costs: band cols 3..8; road pixel at (3,5) predicted car.
    // road: TP 23, FN 1 -> 23/24; car: TP 24, FP 1 -> 24/25
    const near = label.slice();
    near[3 * w + 5] = 13;
    const t = scoresOf(near, label, h, w, 1, 2).trimap;
    expect(t.iou[0]).toBeCloseTo(23 / 24, 12);
    expect(t.iou[13]).toBeCloseTo(24 / 25, 12);
    expect(t.miou).toBeCloseTo((23 / 24 + 24 / 25) / 2, 12);
  });

  it('excludes void: edges against void are not boundaries, void pixels are not scored', () => {
    // 4x11: cols 0..4 road, col 5 void, cols 6..10 car; the prediction splits the void column anyhow.
    const h = 4;
    const w = 11;
    const label: number[] = [];
    const pred: number[] = [];
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        label.push(x <= 4 ? 0 : x === 5 ? VOID : 13);
        pred.push(x <= 5 ? 0 : 13);
      }
    }
    const s = scoresOf(pred, label, h, w, 1);
    expect(s.overall).toMatchObject({ predBoundary: 0, gtBoundary: 0, f: null });
    expect(s.meanF).toBeNull();
    expect(s.absentClasses).toHaveLength(19);
    expect(s.trimap.pixels).toBe(0);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('a batch equals image-by-image updates, and merge equals one pass', () => {
    const rnd = mulberry32(11);
    const h = 7;
    const w = 9;
    const imgs = [randomMaps(rnd, h, w), randomMaps(rnd, h, w), randomMaps(rnd, h, w)];
    const one = new BoundaryAccumulator({ tolerance: 1 });
    for (const m of imgs) one.update(m.pred, m.label, h, w);
    const batch = new BoundaryAccumulator({ tolerance: 1 }).update(
      imgs.flatMap((m) => m.pred),
      new Uint8Array(imgs.flatMap((m) => m.label)),
      h,
      w,
    );
    const a = new BoundaryAccumulator({ tolerance: 1 }).update(imgs[0].pred, imgs[0].label, h, w);
    const b = new BoundaryAccumulator({ tolerance: 1 });
    b.update(imgs[1].pred, imgs[1].label, h, w).update(imgs[2].pred, imgs[2].label, h, w);
    a.merge(b);
    expect(one.images).toBe(3);
    expect(batch.scores()).toEqual(one.scores());
    expect(a.scores()).toEqual(one.scores());
    expect(() => a.merge(new BoundaryAccumulator({ tolerance: 2 }))).toThrow(/tolerance/);
  });

  it('round-trips through JSON and validates input', () => {
    const rnd = mulberry32(5);
    const { label, pred } = randomMaps(rnd, 6, 8);
    const acc = new BoundaryAccumulator({ tolerance: 1.5, trimapWidth: 3 }).update(pred, label, 6, 8);
    const back = BoundaryAccumulator.fromJSON(JSON.parse(JSON.stringify(acc)));
    expect(back.scores()).toEqual(acc.scores());
    expect(back.tolerance).toBe(1.5);
    expect(back.trimapWidth).toBe(3);

    const bad = acc.toJSON();
    bad.gtMatched[0] = bad.gtBoundary[0] + 1;
    expect(() => BoundaryAccumulator.fromJSON(bad)).toThrow(/more matched than boundary/);
    expect(() => new BoundaryAccumulator({ tolerance: -1 })).toThrow(/tolerance/);
    expect(() => new BoundaryAccumulator().update([0, 0, 0], [0, 0, 0], 2, 2)).toThrow(/multiple of 2x2/);
    expect(() => new BoundaryAccumulator().update([0, 0, 0, 0], [0, 0, 300, 0], 2, 2)).toThrow(
      /label value 300 at position 2/,
    );
    expect(() => new BoundaryAccumulator().update([0, 21, 0, 0], [0, 0, 0, 0], 2, 2)).toThrow(
      /prediction value 21 at position 1/,
    );
  });

  it('defaults to a tolerance of 2 with the trimap band equal to it', () => {
    const acc = new BoundaryAccumulator();
    expect(acc.tolerance).toBe(2);
    expect(acc.trimapWidth).toBe(2);
  });
});
