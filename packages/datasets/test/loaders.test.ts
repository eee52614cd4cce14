import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { afterAll, describe, expect, it } from 'vitest';
import { TRAIN_ID, VOID, cityscapes, kittiSemantics, kittiSplitOf, openDataset } from '../src/index.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function tempRoot(): string {
  const r = mkdtempSync(join(tmpdir(), 'unpool-datasets-'));
  roots.push(r);
  return r;
}

function writePng(file: string, width: number, height: number, channels: number, data: Uint8Array | Uint16Array, depth: 8 | 16 = 8): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, encode({ width, height, channels, depth, data }));
}

/** An RGB image whose red channel encodes the column (to locate pixels after resizing). */
function columnImage(h: number, w: number): Uint8Array {
  const d = new Uint8Array(h * w * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) d.set([x * 7, 100, y * 10], (y * w + x) * 3);
  return d;
}

/**
 * 8 x 32 labelIds: columns 0..7 road (7), 8..15 car (26) above row 4 and ego vehicle (1) below,
 * 16..23 bicycle (33), 24..31 vegetation (21). A crop to aspect 2 keeps columns 8..23.
 */
function patternLabel(): Uint8Array {
  const d = new Uint8Array(8 * 32);
  for (let y = 0; y < 8; y++) for (let x = 0; x < 32; x++) d[y * 32 + x] = x < 8 ? 7 : x < 16 ? (y < 4 ? 26 : 1) : x < 24 ? 33 : 21;
  return d;
}

function cityscapesTree(): string {
  const root = tempRoot();
  for (const [city, n] of [['bonn', 2], ['aachen', 1]] as const) {
    for (let k = 0; k < n; k++) {
      const stem = `${city}_00000${k}_000019`;
      writePng(join(root, 'leftImg8bit', 'val', city, `${stem}_leftImg8bit.png`), 32, 8, 3, columnImage(8, 32));
      writePng(join(root, 'gtFine', 'val', city, `${stem}_gtFine_labelIds.png`), 32, 8, 1, patternLabel());
    }
  }
  return root;
}

describe('cityscapes', () => {
  it('lists images by city and name, maps labelIds to trainIds and lands the pattern where the crop says', () => {
    const root = cityscapesTree();
    const ds = cityscapes({ root, split: 'val', height: 4, width: 8, aspect: 2 });
    expect(ds.size).toBe(3);
    expect([0, 1, 2].map((i) => ds.get(i).id)).toEqual(['aachen/aachen_000000_000019', 'bonn/bonn_000000_000019', 'bonn/bonn_000001_000019']);
    const s = ds.get(1);
    const c = TRAIN_ID.car, b = TRAIN_ID.bicycle;
    expect(Array.from(s.label)).toEqual([c, c, c, c, b, b, b, b, c, c, c, c, b, b, b, b, VOID, VOID, VOID, VOID, b, b, b, b, VOID, VOID, VOID, VOID, b, b, b, b]);
    // Red encodes the source column: output column x averages source columns 8 + 2x and 9 + 2x.
    for (let x = 0; x < 8; x++) expect(s.image[(1 * 8 + x) * 3] * 255).toBeCloseTo((8 + 2 * x + 0.5) * 7, 3);
    expect(s.image[1]).toBeCloseTo(100 / 255, 5);
  });

  it('crops to the KITTI frame by default (through openDataset)', () => {
    const root = cityscapesTree();
    const ds = openDataset({ kind: 'cityscapes', root, split: 'val' }, { height: 8, width: 26 });
    // The 8 x 32 source is wider than 1242:375, so a 8 * 1242 / 375 = 26.5 wide centre window is kept.
    const cropW = (8 * 1242) / 375;
    const x0 = (32 - cropW) / 2;
    const { image, label } = ds.get(0);
    for (const x of [0, 13, 25]) {
      // Red grows linearly with the source column, so the filtered value is the column of the sample centre.
      const centre = x0 + ((x + 0.5) * cropW) / 26 - 0.5;
      expect(Math.abs(image[(3 * 26 + x) * 3] * 255 - centre * 7)).toBeLessThan(0.3);
    }
    expect(label[0]).toBe(TRAIN_ID.road);
    expect(label[25]).toBe(TRAIN_ID.vegetation);
  });

  it('names the missing root, folder or label file', () => {
    expect(() => cityscapes({ root: '/no/such/place', split: 'val', height: 4, width: 8 })).toThrow(/root '\/no\/such\/place' does not exist/);
    const root = cityscapesTree();
    expect(() => cityscapes({ root, split: 'train', height: 4, width: 8 })).toThrow(/leftImg8bit\/train' does not exist/);
    rmSync(join(root, 'gtFine', 'val', 'bonn', 'bonn_000001_000019_gtFine_labelIds.png'));
    expect(() => cityscapes({ root, split: 'val', height: 4, width: 8 })).toThrow(/bonn_000001_000019_gtFine_labelIds\.png' for image/);
  });

  it('refuses an empty split', () => {
    const root = tempRoot();
    mkdirSync(join(root, 'leftImg8bit', 'val', 'bonn'), { recursive: true });
    mkdirSync(join(root, 'gtFine', 'val'), { recursive: true });
    expect(() => cityscapes({ root, split: 'val', height: 4, width: 8 })).toThrow(/split 'val' is empty/);
  });

  it('names the file for a label of the wrong size, an unknown labelId, an undecodable image and a 16-bit label', () => {
    const root = cityscapesTree();
    const lbl = (stem: string): string => join(root, 'gtFine', 'val', 'bonn', `${stem}_gtFine_labelIds.png`);
    writePng(lbl('bonn_000000_000019'), 16, 8, 1, new Uint8Array(16 * 8).fill(7));
    const bad = patternLabel();
    bad[5] = 40;
    writePng(lbl('bonn_000001_000019'), 32, 8, 1, bad);
    writeFileSync(join(root, 'leftImg8bit', 'val', 'aachen', 'aachen_000000_000019_leftImg8bit.png'), new Uint8Array([1, 2, 3, 4, 5]));
    const ds = cityscapes({ root, split: 'val', height: 4, width: 8 });
    expect(() => ds.get(0)).toThrow(/aachen_000000_000019_leftImg8bit\.png: not a decodable PNG/);
    expect(() => ds.get(1)).toThrow(/bonn_000000_000019_gtFine_labelIds\.png: label is 16x8 but its image .* is 32x8/);
    expect(() => ds.get(2)).toThrow(/bonn_000001_000019_gtFine_labelIds\.png: unknown labelId 40 at pixel \(x=5, y=0\)/);
    writePng(lbl('bonn_000001_000019'), 32, 8, 1, new Uint16Array(32 * 8).fill(7), 16);
    expect(() => ds.get(2)).toThrow(/bonn_000001_000019_gtFine_labelIds\.png: 16-bit label PNG/);
    writePng(lbl('bonn_000001_000019'), 32, 8, 3, new Uint8Array(32 * 8 * 3).fill(7));
    expect(() => ds.get(2)).toThrow(/bonn_000001_000019_gtFine_labelIds\.png: label PNG has 3 channels/);
  });
});

function kittiTree(n: number): string {
  const root = tempRoot();
  for (let k = 0; k < n; k++) {
    const f = `${String(k).padStart(6, '0')}_10.png`;
    const rgba = new Uint8Array(8 * 32 * 4).fill(200);
    writePng(join(root, 'training', 'image_2', f), 32, 8, 4, rgba);
    const lab = new Uint8Array(8 * 32).fill(k % 2 === 0 ? 23 : 24); // sky / person
    // A 4x2 license plate block (-1, stored as 255 in 8 bits) under the first output pixel.
    for (let y = 0; y < 2; y++) for (let x = 0; x < 4; x++) lab[y * 32 + x] = 255;
    writePng(join(root, 'training', 'semantic', f), 32, 8, 1, lab);
  }
  return root;
}

describe('kittiSemantics', () => {
  it('splits by file position deterministically (every fifth file is val) and maps labelIds', () => {
    const root = kittiTree(7);
    const val = kittiSemantics({ root, split: 'val', height: 4, width: 8, aspect: 4 });
    const train = kittiSemantics({ root, split: 'train', height: 4, width: 8, aspect: 4 });
    const all = kittiSemantics({ root, split: 'all', height: 4, width: 8, aspect: 4 });
    expect([val.size, train.size, all.size]).toEqual([2, 5, 7]);
    expect([0, 1].map((i) => val.get(i).id)).toEqual(['000000_10', '000005_10']);
    expect([0, 1, 2, 3, 4, 5, 6].map(kittiSplitOf)).toEqual(['val', 'train', 'train', 'train', 'train', 'val', 'train']);
    const s = train.get(0); // 000001_10: person
    expect(s.label[0]).toBe(VOID);
    expect(s.label[1]).toBe(TRAIN_ID.person);
    expect(val.get(0).label[5]).toBe(TRAIN_ID.sky);
    // RGBA input: alpha dropped, values scaled to [0,1].
    expect(s.image[0]).toBeCloseTo(200 / 255, 5);
  });

  it('names missing folders and labels', () => {
    expect(() => kittiSemantics({ root: '/nope/kitti', split: 'all', height: 4, width: 8 })).toThrow(/kitti: root '\/nope\/kitti' does not exist/);
    const root = kittiTree(2);
    rmSync(join(root, 'training', 'semantic', '000001_10.png'));
    expect(() => kittiSemantics({ root, split: 'all', height: 4, width: 8 })).toThrow(/semantic\/000001_10\.png' for image/);
    const empty = tempRoot();
    mkdirSync(join(empty, 'training', 'image_2'), { recursive: true });
    mkdirSync(join(empty, 'training', 'semantic'), { recursive: true });
    expect(() => kittiSemantics({ root: empty, split: 'train', height: 4, width: 8 })).toThrow(/split 'train' is empty/);
  });
});
