import { describe, expect, it } from 'vitest';
import { ConfusionMatrix, segmentationScores } from '../src/index.js';

// Worked example, (label, pred) per pixel:
//  1 (0,0)   2 (0,0)   3 (0,1)   4 (0,19)  <- void prediction on a road pixel
//  5 (1,1)   6 (1,1)   7 (1,0)
//  8 (2,2)   9 (2,1)
// 10 (255,0) 11 (255,19) 12 (255,1)       <- void ground truth
//
// Confusion matrix (rows GT):
//  row 0:  [0]=2 [1]=1 [19]=1   (sum 4)
//  row 1:  [0]=1 [1]=2          (sum 3)
//  row 2:  [1]=1 [2]=1          (sum 2)
//  row 19: [0]=1 [1]=1 [19]=1   (sum 3)
const LABEL = [0, 0, 0, 0, 1, 1, 1, 2, 2, 255, 255, 255];
const PRED = [0, 0, 1, 19, 1, 1, 0, 2, 1, 0, 19, 1];

describe('segmentationScores', () => {
  const s = segmentationScores(new ConfusionMatrix().update(PRED, LABEL));

  it('Cityscapes convention: void ground truth ignored, void prediction is a false negative', () => {
    // class 0: TP 2, FN 2 (pred 1 and pred 19), FP 1 (row 1)             -> 2/5
    // class 1: TP 2, FN 1 (pred 0), FP 2 (row 0, row 2; row 19 ignored)   -> 2/5
    // class 2: TP 1, FN 1, FP 0                                           -> 1/2
    expect(s.iou[0]).toBeCloseTo(2 / 5, 12);
    expect(s.iou[1]).toBeCloseTo(2 / 5, 12);
    expect(s.iou[2]).toBeCloseTo(1 / 2, 12);
    expect(s.iou).toHaveLength(19);
    // classes 3..18 never appear: null, excluded and listed
    expect(s.iou.slice(3).every((v) => v === null)).toBe(true);
    expect(s.absentClasses).toEqual(Array.from({ length: 16 }, (_, i) => i + 3));
    // miou = (0.4 + 0.4 + 0.5) / 3 = 13/30
    expect(s.miou).toBeCloseTo(13 / 30, 12);
  });

  it('paper convention: void is a 20th class over all pixels', () => {
    // class 0: TP 2, row 4, col 2+1+1 = 4        -> 2/(4+4-2) = 1/3
    // class 1: TP 2, row 3, col 1+2+1+1 = 5      -> 2/(3+5-2) = 1/3
    // class 2: TP 1, row 2, col 1                -> 1/(2+1-1) = 1/2
    // void:    TP 1, row 3, col 1+1 = 2          -> 1/(3+2-1) = 1/4
    expect(s.iou20[0]).toBeCloseTo(1 / 3, 12);
    expect(s.iou20[1]).toBeCloseTo(1 / 3, 12);
    expect(s.iou20[2]).toBeCloseTo(1 / 2, 12);
    expect(s.iou20[19]).toBeCloseTo(1 / 4, 12);
    expect(s.iouVoid).toBeCloseTo(1 / 4, 12);
    expect(s.iou20).toHaveLength(20);
    // (1/3 + 1/3 + 1/2 + 1/4) / 4 = (17/12) / 4 = 17/48
    expect(s.miou20Paper).toBeCloseTo(17 / 48, 12);
    expect(s.absentClasses20).toEqual(Array.from({ length: 16 }, (_, i) => i + 3));
  });

  it('accuracies and pixel counts', () => {
    // correct non-void: 2 + 2 + 1 = 5 of 9; with void as a class: 6 of 12
    expect(s.globalAccuracy).toBeCloseTo(5 / 9, 12);
    expect(s.globalAccuracy20).toBeCloseTo(6 / 12, 12);
    // per class: 2/4, 2/3, 1/2; mean = (1/2 + 2/3 + 1/2) / 3 = 5/9
    expect(s.perClassAccuracy[0]).toBeCloseTo(1 / 2, 12);
    expect(s.perClassAccuracy[1]).toBeCloseTo(2 / 3, 12);
    expect(s.perClassAccuracy[2]).toBeCloseTo(1 / 2, 12);
    expect(s.perClassAccuracy[3]).toBeNull();
    expect(s.meanClassAccuracy).toBeCloseTo(5 / 9, 12);
    expect(s.pixels).toEqual({ total: 12, evaluated: 9, voidLabelled: 3 });
  });

  it('more void-labelled pixels change only the paper convention', () => {
    // add 3 x (255, 2): row 19 col 2 += 3
    const cm = new ConfusionMatrix().update([...PRED, 2, 2, 2], [...LABEL, 255, 255, 255]);
    const t = segmentationScores(cm);
    expect(t.iou).toEqual(s.iou);
    expect(t.miou).toBe(s.miou);
    expect(t.globalAccuracy).toBe(s.globalAccuracy);
    // class 2 paper IoU: TP 1, row 2, col 1+3 = 4 -> 1/(2+4-1) = 1/5
    expect(t.iou20[2]).toBeCloseTo(1 / 5, 12);
    // void: TP 1, row 6, col 2 -> 1/(6+2-1) = 1/7
    expect(t.iouVoid).toBeCloseTo(1 / 7, 12);
  });

  it('a class predicted only on void pixels stays absent in the Cityscapes convention', () => {
    // (5,5) (255,7): class 7 has no GT and no prediction on labelled pixels
    const t = segmentationScores(new ConfusionMatrix().update([5, 7], [5, 255]));
    expect(t.iou[7]).toBeNull();
    expect(t.absentClasses).toContain(7);
    expect(t.miou).toBe(1);
    // paper convention: class 7 predicted once, never right -> 0
    expect(t.iou20[7]).toBe(0);
    // (1 [class 5] + 0 [class 7] + 0 [void: row 1, col 0]) / 3
    expect(t.iou20[19]).toBe(0);
    expect(t.miou20Paper).toBeCloseTo(1 / 3, 12);
  });

  it('is JSON-safe: an empty matrix gives nulls, never NaN', () => {
    const e = segmentationScores(new ConfusionMatrix());
    expect(e.miou).toBeNull();
    expect(e.miou20Paper).toBeNull();
    expect(e.globalAccuracy).toBeNull();
    expect(e.meanClassAccuracy).toBeNull();
    const text = JSON.stringify(e);
    expect(text).not.toMatch(/NaN|Infinity/);
    expect(JSON.parse(text)).toEqual(e);
    // the populated example survives a round trip unchanged too
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});
