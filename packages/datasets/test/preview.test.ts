import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { classFrequencies, colorizeLabel, renderPreviewPng, synthStreets, type SegDataset } from '../src/index.js';

describe('colorizeLabel', () => {
  it('paints trainIds in the official palette and void black', () => {
    const rgb = colorizeLabel(new Uint8Array([0, 13, 255, 18, 77]));
    expect(Array.from(rgb)).toEqual([128, 64, 128, 0, 0, 142, 0, 0, 0, 119, 11, 32, 0, 0, 0]);
  });
});

describe('renderPreviewPng', () => {
  it('lays images beside their colourised labels in a grid', () => {
    const ds = synthStreets({ style: 'city', split: 'val', size: 3, height: 16, width: 48 });
    const png = decode(renderPreviewPng({ dataset: ds, n: 3, columns: 2 }));
    const gap = 2;
    expect(png.channels).toBe(3);
    expect(png.height).toBe(2 * 16 + gap);
    expect(png.width).toBe(2 * (2 * 48 + gap) + 2 * gap);
    const s = ds.get(2); // third sample: second row, first column
    const lab = colorizeLabel(s.label);
    const at = (x: number, y: number): number[] => Array.from(png.data.slice((y * png.width + x) * 3, (y * png.width + x) * 3 + 3));
    for (const [x, y] of [[0, 0], [47, 15], [20, 9]]) {
      const oy = 16 + gap + y;
      expect(at(x, oy)).toEqual(Array.from(s.image.slice((y * 48 + x) * 3, (y * 48 + x) * 3 + 3)).map((v) => Math.round(v * 255)));
      expect(at(48 + gap + x, oy)).toEqual(Array.from(lab.slice((y * 48 + x) * 3, (y * 48 + x) * 3 + 3)));
    }
    expect(() => renderPreviewPng({ dataset: ds, n: 4 })).toThrow(/has 3 samples/);
  });
});

describe('classFrequencies', () => {
  it('returns the pixel fraction of each class and void', () => {
    const labels = [new Uint8Array([0, 0, 13, 255]), new Uint8Array([18, 0, 255, 200])];
    const ds: SegDataset = {
      name: 'fixed', size: 2, height: 2, width: 2,
      get: (i) => ({ id: String(i), image: new Float32Array(12), label: labels[i], height: 2, width: 2 }),
    };
    const f = classFrequencies(ds);
    expect(f).toHaveLength(20);
    expect(f[0]).toBeCloseTo(3 / 8, 12);
    expect(f[13]).toBeCloseTo(1 / 8, 12);
    expect(f[18]).toBeCloseTo(1 / 8, 12);
    expect(f[19]).toBeCloseTo(3 / 8, 12);
  });

  it('sums to one on synthetic data, with road and building far above the rare classes', () => {
    const f = classFrequencies(synthStreets({ style: 'city', split: 'train', size: 12, height: 32, width: 96 }));
    expect(f.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(f[0]).toBeGreaterThan(0.1);
    expect(f[2]).toBeGreaterThan(0.05);
    expect(f[12] + f[16] + f[17]).toBeLessThan(0.05);
  });
});
