import { describe, expect, it } from 'vitest';
import { KITTI_ASPECT, centerCropBox, flipHorizontal, resizeCropImage, resizeCropLabel } from '../src/index.js';

describe('centerCropBox', () => {
  it('crops the longer side centrally to the aspect', () => {
    expect(centerCropBox(1024, 2048, 2)).toEqual({ x0: 0, y0: 0, width: 2048, height: 1024 });
    expect(centerCropBox(100, 400, 2)).toEqual({ x0: 100, y0: 0, width: 200, height: 100 });
    expect(centerCropBox(300, 200, 2)).toEqual({ x0: 0, y0: 100, width: 200, height: 100 });
    const k = centerCropBox(1024, 2048, KITTI_ASPECT);
    expect(k.width).toBe(2048);
    expect(k.height).toBeCloseTo((2048 * 375) / 1242, 9);
    expect(k.y0 * 2 + k.height).toBeCloseTo(1024, 9);
    expect(() => centerCropBox(10, 10, 0)).toThrow(/aspect/);
  });
});

describe('resizeCropLabel', () => {
  it('puts a known pattern where the crop and scale say', () => {
    // 8 x 32 source, crop to aspect 2 keeps columns 8..23; output 4 x 8 makes 2x2 source blocks per pixel.
    const src = new Uint8Array(8 * 32);
    for (let y = 0; y < 8; y++) for (let x = 0; x < 32; x++) src[y * 32 + x] = x < 8 ? 1 : x < 16 ? (y < 4 ? 2 : 3) : x < 24 ? 4 : 5;
    const out = resizeCropLabel(src, 8, 32, 4, 8, { aspect: 2 });
    const expected = [
      [2, 2, 2, 2, 4, 4, 4, 4],
      [2, 2, 2, 2, 4, 4, 4, 4],
      [3, 3, 3, 3, 4, 4, 4, 4],
      [3, 3, 3, 3, 4, 4, 4, 4],
    ];
    expect(Array.from(out)).toEqual(expected.flat());
  });

  it('uses KITTI 1242x375 as the default frame', () => {
    // 10 x 44: KITTI aspect keeps a 33.12-wide centre, so the 5 outer columns each side disappear.
    const src = new Uint8Array(10 * 44);
    for (let y = 0; y < 10; y++) for (let x = 0; x < 44; x++) src[y * 44 + x] = x < 5 ? 1 : x >= 39 ? 2 : 3;
    const out = resizeCropLabel(src, 10, 44, 10, 33);
    expect(new Set(out)).toEqual(new Set([3]));
    const wide = resizeCropLabel(src, 10, 44, 10, 44, { aspect: 4.4 });
    expect(new Set(wide)).toEqual(new Set([1, 2, 3]));
  });

  it('rejects inconsistent sizes', () => {
    expect(() => resizeCropLabel(new Uint8Array(10), 3, 3, 2, 2)).toThrow(/10 values/);
  });
});

describe('resizeCropImage', () => {
  it('returns the source unchanged at the same size and aspect, scaled by valueScale', () => {
    const src = new Uint8Array(4 * 8 * 3).map((_, i) => (i * 37) % 256);
    const out = resizeCropImage(src, 4, 8, 3, 4, 8, { aspect: 2, valueScale: 255 });
    for (let i = 0; i < src.length; i++) expect(out[i]).toBeCloseTo(src[i] / 255, 6);
  });

  it('averages when shrinking instead of aliasing', () => {
    // Period-3 stripes [1,0,0] shrunk 3x: plain bilinear would sample the zero columns only.
    const W = 30, H = 3;
    const src = new Float32Array(H * W);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) src[y * W + x] = x % 3 === 0 ? 1 : 0;
    const out = resizeCropImage(src, H, W, 1, 1, 10, { aspect: 10 });
    // Away from the clamped borders every output is the stripes' mean.
    for (let x = 1; x < 9; x++) expect(out[x]).toBeCloseTo(1 / 3, 5);
  });

  it('interpolates linearly when enlarging', () => {
    const src = new Float32Array([0, 1]);
    const out = resizeCropImage(src, 1, 2, 1, 1, 4, { aspect: 2 });
    // Output centres at source x = -0.25, 0.25, 0.75, 1.25 (clamped at the borders).
    expect(Array.from(out).map((v) => +v.toFixed(6))).toEqual([0, 0.25, 0.75, 1]);
  });
});

describe('flipHorizontal', () => {
  it('mirrors rows and keeps channels together', () => {
    const img = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]); // 2 x 2 x 3
    expect(Array.from(flipHorizontal(img, 2, 2, 3))).toEqual([4, 5, 6, 1, 2, 3, 10, 11, 12, 7, 8, 9]);
    const lab = new Uint8Array([1, 2, 3, 4, 5, 6]);
    const f = flipHorizontal(lab, 2, 3, 1);
    expect(f).toBeInstanceOf(Uint8Array);
    expect(Array.from(f)).toEqual([3, 2, 1, 6, 5, 4]);
  });
});
