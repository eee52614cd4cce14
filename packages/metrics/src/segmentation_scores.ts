import type { ConfusionMatrix } from './confusion_matrix.js';
import { type JsonNumber, meanOfDefined, ratioOrNull } from './json_number.js';
import { NUM_CLASSES, NUM_OUTPUTS, VOID_INDEX } from './label_space.js';

/**
 * Scores derived from a {@link ConfusionMatrix}. Every field is JSON-safe: a quantity whose
 * denominator is empty is `null` (never NaN), and means skip nulls.
 *
 * Two conventions coexist because the paper and Cityscapes differ:
 * - Cityscapes (`iou`, `miou`, `globalAccuracy`, `meanClassAccuracy`, `perClassAccuracy`): pixels
 *   whose ground truth is void are ignored entirely. A void prediction (channel 19) on a class pixel is
 *   still an error: a false negative of that pixel's class, never a false positive of anything.
 * - Paper (`iouVoid`, `iou20`, `miou20Paper`, `globalAccuracy20`): void is a 20th class scored over all
 *   pixels, as the paper's Table 1 does; its "Average" row is the plain mean of the 20 rows (the
 *   Cityscapes baseline column averages to 33.565 over 20 rows vs 34.58 over the 19 classes; the
 *   table prints 33.57). Here, class c's false positives include void-labelled pixels predicted as c.
 */
export interface SegmentationScores {
  /**
   * Per-class IoU for trainIds 0..18, Cityscapes convention:
   * TP = M[c][c], FN = sum over all 20 predictions j != c of M[c][j] (void predictions included),
   * FP = sum over ground-truth rows i in 0..18, i != c of M[i][c] (void rows excluded).
   * null when TP + FP + FN = 0 (class absent from both ground truth and prediction on non-void pixels).
   */
  iou: JsonNumber[];
  /** Mean of the defined entries of `iou`; null if none is defined. */
  miou: JsonNumber;
  /** trainIds whose `iou` is null and which `miou` therefore skips. */
  absentClasses: number[];
  /** IoU of void as a class over all pixels: M[19][19] / (row 19 + column 19 - M[19][19]). Equals `iou20[19]`. */
  iouVoid: JsonNumber;
  /** IoU of each of the 20 entries (19 classes + void) with void treated as a class over all pixels. */
  iou20: JsonNumber[];
  /** Mean of the defined entries of `iou20`: the paper's 20-row "Average". */
  miou20Paper: JsonNumber;
  /** Entries of `iou20` that are null (no ground truth and no prediction anywhere). */
  absentClasses20: number[];
  /** Correct pixels / pixels with a non-void ground truth. */
  globalAccuracy: JsonNumber;
  /** Correct pixels / all pixels, void scored as a class. */
  globalAccuracy20: JsonNumber;
  /** Per trainId 0..18: M[c][c] / row c (recall); null when the class has no ground-truth pixels. */
  perClassAccuracy: JsonNumber[];
  /** Mean of the defined entries of `perClassAccuracy`. */
  meanClassAccuracy: JsonNumber;
  pixels: {
    /** All pixels counted. */
    total: number;
    /** Pixels with a non-void ground truth (the Cityscapes denominator). */
    evaluated: number;
    /** Pixels whose ground truth is void. */
    voidLabelled: number;
  };
}

/** Computes {@link SegmentationScores} from a 20x20 confusion matrix (rows ground truth, void at 19). */
export function segmentationScores(cm: ConfusionMatrix): SegmentationScores {
  const m = cm.counts;
  const rowSum = new Float64Array(NUM_OUTPUTS);
  const colSum = new Float64Array(NUM_OUTPUTS);
  // Column sums restricted to non-void ground-truth rows: the Cityscapes false-positive base.
  const colSumLabelled = new Float64Array(NUM_OUTPUTS);
  for (let r = 0; r < NUM_OUTPUTS; r++) {
    for (let c = 0; c < NUM_OUTPUTS; c++) {
      const v = m[r * NUM_OUTPUTS + c];
      rowSum[r] += v;
      colSum[c] += v;
      if (r !== VOID_INDEX) colSumLabelled[c] += v;
    }
  }
  const diag = (k: number): number => m[k * NUM_OUTPUTS + k];

  const iou: JsonNumber[] = [];
  const perClassAccuracy: JsonNumber[] = [];
  const absentClasses: number[] = [];
  let correctLabelled = 0;
  for (let c = 0; c < NUM_CLASSES; c++) {
    const tp = diag(c);
    const v = ratioOrNull(tp, rowSum[c] + colSumLabelled[c] - tp);
    iou.push(v);
    if (v === null) absentClasses.push(c);
    perClassAccuracy.push(ratioOrNull(tp, rowSum[c]));
    correctLabelled += tp;
  }

  const iou20: JsonNumber[] = [];
  const absentClasses20: number[] = [];
  for (let c = 0; c < NUM_OUTPUTS; c++) {
    const tp = diag(c);
    const v = ratioOrNull(tp, rowSum[c] + colSum[c] - tp);
    iou20.push(v);
    if (v === null) absentClasses20.push(c);
  }

  let total = 0;
  for (let r = 0; r < NUM_OUTPUTS; r++) total += rowSum[r];
  const voidLabelled = rowSum[VOID_INDEX];
  const evaluated = total - voidLabelled;

  return {
    iou,
    miou: meanOfDefined(iou),
    absentClasses,
    iouVoid: iou20[VOID_INDEX],
    iou20,
    miou20Paper: meanOfDefined(iou20),
    absentClasses20,
    globalAccuracy: ratioOrNull(correctLabelled, evaluated),
    globalAccuracy20: ratioOrNull(correctLabelled + diag(VOID_INDEX), total),
    perClassAccuracy,
    meanClassAccuracy: meanOfDefined(perClassAccuracy),
    pixels: { total, evaluated, voidLabelled },
  };
}
