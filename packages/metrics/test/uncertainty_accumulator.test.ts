import { describe, expect, it } from 'vitest';
import { UncertaintyAccumulator } from '../src/index.js';

/** -sum p ln p of a two-class distribution. */
const h2 = (p: number): number => -(p * Math.log(p) + (1 - p) * Math.log(1 - p));

// Constructed case, 2 classes, 10 bins:
//  4 pixels (0.95, 0.05) -> predict 0, confidence 0.95 (bin 9); labels 0,0,0,1: 3 right, 1 wrong
//  2 pixels (0.35, 0.65) -> predict 1, confidence 0.65 (bin 6); labels 1,1: both right
//  1 pixel  (0.9, 0.1) labelled void (255) -> skipped
//  1 pixel  (0.2, 0.8) labelled void (19)  -> skipped
// bin 9: accuracy 3/4, confidence 0.95 -> gap 0.2; bin 6: accuracy 1, confidence 0.65 -> gap 0.35
// ECE = 4/6 * 0.2 + 2/6 * 0.35 = 0.13333 + 0.11667 = 0.25
const PROBS = [0.95, 0.05, 0.95, 0.05, 0.95, 0.05, 0.95, 0.05, 0.35, 0.65, 0.35, 0.65, 0.9, 0.1, 0.2, 0.8];
const LABEL = [0, 0, 0, 1, 1, 1, 255, 19];

describe('UncertaintyAccumulator', () => {
  it('ECE, accuracy and entropy on correct vs incorrect pixels for a constructed case', () => {
    const s = new UncertaintyAccumulator({ numClasses: 2 }).update(PROBS, LABEL).scores();
    expect(s.pixels).toBe(6);
    expect(s.correctPixels).toBe(5);
    expect(s.incorrectPixels).toBe(1);
    expect(s.accuracy).toBeCloseTo(5 / 6, 12);
    expect(s.ece).toBeCloseTo(0.25, 12);
    expect(s.bins).toHaveLength(10);
    expect(s.bins[9]).toMatchObject({ lower: 0.9, upper: 1, pixels: 4 });
    expect(s.bins[9].accuracy).toBe(0.75);
    expect(s.bins[9].meanConfidence).toBeCloseTo(0.95, 12);
    expect(s.bins[6].pixels).toBe(2);
    expect(s.bins[6].accuracy).toBe(1);
    expect(s.bins[0]).toMatchObject({ pixels: 0, accuracy: null, meanConfidence: null });
    // mean confidence = (4 * 0.95 + 2 * 0.65) / 6 = 5.1 / 6 = 0.85
    expect(s.meanConfidence).toBeCloseTo(0.85, 12);
    // correct: three (0.95, 0.05) and two (0.35, 0.65); incorrect: one (0.95, 0.05)
    expect(s.meanEntropyCorrect).toBeCloseTo((3 * h2(0.95) + 2 * h2(0.65)) / 5, 6);
    expect(s.meanEntropyIncorrect).toBeCloseTo(h2(0.95), 6);
    expect(s.meanEntropy).toBeCloseTo((4 * h2(0.95) + 2 * h2(0.65)) / 6, 6);
    expect(s.maxEntropy).toBeCloseTo(Math.LN2, 12);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('a calibrated case has ECE 0, an overconfident one ECE = confidence - accuracy', () => {
    // 10 pixels at confidence 0.8 of which 8 right: calibrated
    const probs: number[] = [];
    const label: number[] = [];
    for (let i = 0; i < 10; i++) {
      probs.push(0.8, 0.2);
      label.push(i < 8 ? 0 : 1);
    }
    const calibrated = new UncertaintyAccumulator({ numClasses: 2 }).update(probs, label).scores();
    expect(calibrated.ece).toBeCloseTo(0, 12);
    // same confidences, only 5 right: |0.5 - 0.8| = 0.3
    const over = new UncertaintyAccumulator({ numClasses: 2 })
      .update(probs, label.map((_, i) => (i < 5 ? 0 : 1)))
      .scores();
    expect(over.ece).toBeCloseTo(0.3, 12);
  });

  it('bins confidence 1 into the last bin, 0.5 into bin 5; ties go to the lowest class', () => {
    const s = new UncertaintyAccumulator({ numClasses: 2 }).update([1, 0, 0.5, 0.5], [0, 1]).scores();
    expect(s.bins[9].pixels).toBe(1);
    expect(s.bins[5].pixels).toBe(1);
    // the tie (0.5, 0.5) predicts class 0, so label 1 is wrong
    expect(s.bins[5].accuracy).toBe(0);
    expect(s.incorrectPixels).toBe(1);
  });

  it('defaults to 20 channels: a void prediction on a class pixel is incorrect', () => {
    const probs = new Float32Array(2 * 20);
    probs[19] = 1; // pixel 0 predicts void
    probs[20 + 4] = 1; // pixel 1 predicts class 4
    const s = new UncertaintyAccumulator().update(probs, [3, 4]).scores();
    expect(s.numClasses).toBe(20);
    expect(s.correctPixels).toBe(1);
    expect(s.incorrectPixels).toBe(1);
    expect(s.maxEntropy).toBeCloseTo(Math.log(20), 12);
  });

  it('merge equals one pass; JSON round trip; empty is all null', () => {
    const one = new UncertaintyAccumulator({ numClasses: 2 }).update(PROBS, LABEL);
    const a = new UncertaintyAccumulator({ numClasses: 2 }).update(PROBS.slice(0, 6), LABEL.slice(0, 3));
    const b = new UncertaintyAccumulator({ numClasses: 2 }).update(PROBS.slice(6), LABEL.slice(3));
    a.merge(b);
    const sa = a.scores();
    const so = one.scores();
    expect(sa.pixels).toBe(so.pixels);
    expect(sa.ece).toBeCloseTo(so.ece ?? Number.NaN, 12);
    expect(sa.meanEntropyCorrect).toBeCloseTo(so.meanEntropyCorrect ?? Number.NaN, 12);
    expect(UncertaintyAccumulator.fromJSON(JSON.parse(JSON.stringify(one))).scores()).toEqual(so);
    expect(() => a.merge(new UncertaintyAccumulator({ numClasses: 3 }))).toThrow(/numClasses/);

    const e = new UncertaintyAccumulator().scores();
    expect(e.ece).toBeNull();
    expect(e.accuracy).toBeNull();
    expect(e.meanEntropy).toBeNull();
    expect(JSON.stringify(e)).not.toMatch(/NaN/);
  });

  it('rejects mismatched sizes and bad labels', () => {
    const acc = new UncertaintyAccumulator({ numClasses: 2 });
    expect(() => acc.update([0.5, 0.5, 0.5, 0.5], [0])).toThrow(/4 values but label has 1 pixels x 2 classes/);
    expect(() => acc.update([0.5, 0.5], [2])).toThrow(/label value 2 at position 0/);
    expect(() => acc.update([0.5, 0.5], [0], 3)).toThrow(/numClasses 3 differs/);
    expect(acc.update([0.5, 0.5], [0], 2).scores().pixels).toBe(1);
    expect(() => acc.update([0.5, 0.5], [300])).toThrow(/label value 300/);
    expect(() => new UncertaintyAccumulator({ bins: 0 })).toThrow(/bins/);
    // only the one valid update above was counted
    expect(acc.scores().pixels).toBe(1);
  });
});
