import { describe, expect, it } from 'vitest';
import { NUM_CLASSES, TRAIN_ID, VOID, synthStreets } from '../src/index.js';
import { renderStreetScene } from '../src/synth_scene.js';
import { hashSeed } from '../src/prng.js';

const H = 64, W = 192;

function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

describe('synthStreets', () => {
  it('is deterministic per (seed, split, style, index) and varies with each', () => {
    const a = synthStreets({ style: 'city', split: 'train', size: 10, height: H, width: W, seed: 5 });
    const b = synthStreets({ style: 'city', split: 'train', size: 10, height: H, width: W, seed: 5 });
    for (const i of [0, 7]) {
      expect(same(a.get(i).image, b.get(i).image)).toBe(true);
      expect(same(a.get(i).label, b.get(i).label)).toBe(true);
    }
    const variants = [
      synthStreets({ style: 'city', split: 'train', size: 10, height: H, width: W, seed: 6 }).get(0),
      synthStreets({ style: 'city', split: 'val', size: 10, height: H, width: W, seed: 5 }).get(0),
      synthStreets({ style: 'kitti', split: 'train', size: 10, height: H, width: W, seed: 5 }).get(0),
      a.get(1),
    ];
    for (const v of variants) expect(same(v.label, a.get(0).label)).toBe(false);
    expect(a.get(3).id).not.toBe(a.get(4).id);
  });

  it('produces images in [0,1] and labels in 0..18 or 255 with the requested shape', () => {
    for (const style of ['city', 'kitti'] as const) {
      const ds = synthStreets({ style, split: 'val', size: 6, height: H, width: W });
      for (let i = 0; i < ds.size; i++) {
        const s = ds.get(i);
        expect([s.height, s.width]).toEqual([H, W]);
        expect(s.image.length).toBe(H * W * 3);
        expect(s.label.length).toBe(H * W);
        let lo = Infinity, hi = -Infinity, bad = 0;
        for (const v of s.image) {
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        for (const v of s.label) if (!(v < NUM_CLASSES || v === VOID)) bad++;
        expect(lo).toBeGreaterThanOrEqual(0);
        expect(hi).toBeLessThanOrEqual(1);
        expect(hi - lo).toBeGreaterThan(0.3);
        expect(bad).toBe(0);
      }
    }
  });

  it.each(['city', 'kitti'] as const)('shows every class somewhere in a 200-image %s split at 64x192', (style) => {
    const ds = synthStreets({ style, split: 'val', size: 200, height: H, width: W, seed: 0 });
    const seen = new Uint32Array(256);
    for (let i = 0; i < ds.size; i++) {
      const { label } = ds.get(i);
      const inImage = new Uint8Array(256);
      for (const v of label) inImage[v] = 1;
      for (let v = 0; v < 256; v++) seen[v] += inImage[v];
    }
    for (let c = 0; c < NUM_CLASSES; c++) expect(seen[c], `class ${c} missing`).toBeGreaterThan(0);
    // Long tail: road and building are in nearly every frame, the rare classes in few.
    expect(seen[TRAIN_ID.road]).toBeGreaterThan(180);
    expect(seen[TRAIN_ID.train]).toBeLessThan(60);
  });

  it('casts shadows that darken the image but never change the label', () => {
    let darkened = 0;
    for (let i = 0; i < 8; i++) {
      const seed = hashSeed('shadow-test', i);
      const lit = renderStreetScene(seed, 'kitti', W, H, { shadows: true });
      const flat = renderStreetScene(seed, 'kitti', W, H, { shadows: false });
      expect(same(lit.label, flat.label)).toBe(true);
      let sumLit = 0, sumFlat = 0;
      for (let p = 0; p < lit.image.length; p++) {
        sumLit += lit.image[p];
        sumFlat += flat.image[p];
      }
      if (sumLit < sumFlat - 1) darkened++;
    }
    // KITTI frames are mostly sunny: shadows must show in most of them.
    expect(darkened).toBeGreaterThan(3);
  });

  it('draws thin structures about one or two pixels wide at 64x192', () => {
    const ds = synthStreets({ style: 'city', split: 'train', size: 30, height: H, width: W, seed: 3 });
    const runs: number[] = [];
    for (let i = 0; i < ds.size; i++) {
      const { label } = ds.get(i);
      for (let y = 0; y < H; y++) {
        let run = 0;
        for (let x = 0; x <= W; x++) {
          if (x < W && label[y * W + x] === TRAIN_ID.pole) run++;
          else if (run > 0) {
            runs.push(run);
            run = 0;
          }
        }
      }
    }
    runs.sort((a, b) => a - b);
    expect(runs.length).toBeGreaterThan(100);
    expect(runs[Math.floor(runs.length / 2)]).toBeLessThanOrEqual(2);
  });

  it('renders at other resolutions and rejects bad options', () => {
    const s = synthStreets({ style: 'kitti', split: 'test', size: 1, height: 128, width: 384 }).get(0);
    expect(s.label.length).toBe(128 * 384);
    expect(() => synthStreets({ style: 'city', split: 'val', size: 0, height: H, width: W })).toThrow(/size/);
    expect(() => synthStreets({ style: 'city', split: 'val', size: 2, height: 6.5, width: W })).toThrow(/height/);
    expect(() => synthStreets({ style: 'mars' as 'city', split: 'val', size: 2, height: H, width: W })).toThrow(/style 'mars'/);
    expect(() => synthStreets({ style: 'city', split: 'val', size: 2, height: H, width: W }).get(2)).toThrow(/index 2/);
  });
});
