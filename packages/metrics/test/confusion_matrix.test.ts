import { describe, expect, it } from 'vitest';
import { ConfusionMatrix, VOID_INDEX } from '../src/index.js';
import { mulberry32 } from './prng.js';


describe('ConfusionMatrix', () => {
  it('counts rows = ground truth, columns = prediction, with void label 255 in row 19', () => {
    // pairs (label, pred): (0,0) (0,0) (0,1) (2,19) (255,3) (255,19) (19,19)
    // expected: M[0][0]=2, M[0][1]=1, M[2][19]=1, M[19][3]=1, M[19][19]=2 (255 and 19 both void)
    const cm = new ConfusionMatrix().update([0, 0, 1, 19, 3, 19, 19], [0, 0, 0, 2, 255, 255, 19]);
    expect(cm.at(0, 0)).toBe(2);
    expect(cm.at(0, 1)).toBe(1);
    expect(cm.at(2, VOID_INDEX)).toBe(1);
    expect(cm.at(VOID_INDEX, 3)).toBe(1);
    expect(cm.at(VOID_INDEX, VOID_INDEX)).toBe(2);
    expect(cm.total()).toBe(7);
    // Nothing else is counted: the five listed cells hold all 7 pixels.
    expect(2 + 1 + 1 + 1 + 2).toBe(cm.total());
    expect(cm.counts.length).toBe(400);
  });

  it('accepts typed arrays', () => {
    const cm = new ConfusionMatrix().update(new Int32Array([4, 5]), new Uint8Array([4, 255]));
    expect(cm.at(4, 4)).toBe(1);
    expect(cm.at(19, 5)).toBe(1);
  });

  it.each([
    [256, 2],
    [-1, 2],
    [20, 2],
    [1.5, 2],
    [Number.NaN, 2],
  ])('rejects label %s naming value and position', (bad, pos) => {
    const label = [0, 1, 2, 3];
    label[pos] = bad;
    expect(() => new ConfusionMatrix().update([0, 1, 2, 3], label)).toThrow(
      new RegExp(`label value ${String(bad).replace('.', '\\.')} at position ${pos}`),
    );
  });

  it.each([20, -1, 2.5, 255])('rejects prediction %s naming value and position', (bad) => {
    expect(() => new ConfusionMatrix().update([0, bad], [0, 0])).toThrow(
      new RegExp(`prediction value ${String(bad).replace('.', '\\.')} at position 1`),
    );
  });

  it('leaves the matrix untouched when an update is rejected', () => {
    const cm = new ConfusionMatrix().update([1], [1]);
    expect(() => cm.update([0, 0, 0], [0, 0, 99])).toThrow(/99 at position 2/);
    expect(cm.total()).toBe(1);
  });

  it('rejects length mismatches', () => {
    expect(() => new ConfusionMatrix().update([0, 1], [0])).toThrow(/2 pixels but label has 1/);
  });

  it('merge of shards equals a single pass', () => {
    const rnd = mulberry32(7);
    const n = 500;
    const pred = Array.from({ length: n }, () => Math.floor(rnd() * 20));
    const label = Array.from({ length: n }, () => (rnd() < 0.1 ? 255 : Math.floor(rnd() * 19)));
    const single = new ConfusionMatrix().update(pred, label);
    const a = new ConfusionMatrix().update(pred.slice(0, 123), label.slice(0, 123));
    const b = new ConfusionMatrix().update(pred.slice(123, 400), label.slice(123, 400));
    const c = new ConfusionMatrix().update(pred.slice(400), label.slice(400));
    a.merge(b).merge(c);
    expect(Array.from(a.counts)).toEqual(Array.from(single.counts));
    expect(a.total()).toBe(n);
  });

  it('round-trips through JSON text and validates what it reads', () => {
    const cm = new ConfusionMatrix().update([0, 3, 19, 7], [0, 255, 5, 7]);
    const back = ConfusionMatrix.fromJSON(JSON.parse(JSON.stringify(cm)));
    expect(Array.from(back.counts)).toEqual(Array.from(cm.counts));
    expect(back.toJSON().counts[19][3]).toBe(1);

    const bad = cm.toJSON();
    bad.counts[4][2] = -3;
    expect(() => ConfusionMatrix.fromJSON(bad)).toThrow(/ConfusionMatrix\.fromJSON/);
    expect(() => ConfusionMatrix.fromJSON({ ...cm.toJSON(), counts: cm.toJSON().counts.slice(1) })).toThrow(
      /ConfusionMatrix\.fromJSON/,
    );
    expect(() => new ConfusionMatrix([1, 2, 3])).toThrow(/expected 400 counts/);
  });
});
