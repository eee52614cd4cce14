import { z } from 'zod';
import {
  NUM_OUTPUTS,
  VOID_INDEX,
  badLabelError,
  badPredictionError,
  isPredictionIndex,
  labelIndex,
} from './label_space.js';

/** JSON form of a {@link ConfusionMatrix}: `counts[gt][pred]`, 20x20, void at index 19. */
export interface ConfusionMatrixJson {
  kind: 'confusion-matrix';
  size: 20;
  voidIndex: 19;
  /** Rows are ground truth, columns prediction. */
  counts: number[][];
}

const countSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

const confusionMatrixJsonSchema = z.object({
  kind: z.literal('confusion-matrix'),
  size: z.literal(NUM_OUTPUTS),
  voidIndex: z.literal(VOID_INDEX),
  counts: z.array(z.array(countSchema).length(NUM_OUTPUTS)).length(NUM_OUTPUTS),
});

/**
 * Streaming 20x20 pixel confusion matrix over the 19 Cityscapes classes plus void (index 19).
 *
 * Rows are ground truth, columns predictions: `counts[gt * 20 + pred]`. Ground-truth void (label 255)
 * is kept as row 19 rather than dropped, so that both the Cityscapes convention (void ignored) and the
 * paper's convention (void scored as a 20th class) can be derived from the same matrix; see
 * `segmentationScores`. Counts are float64, exact up to 2^53 pixels.
 */
export class ConfusionMatrix {
  /** Row-major counts, `counts[gt * 20 + pred]`. */
  readonly counts: Float64Array;

  constructor(counts?: ArrayLike<number>) {
    this.counts = new Float64Array(NUM_OUTPUTS * NUM_OUTPUTS);
    if (counts !== undefined) {
      if (counts.length !== this.counts.length) {
        throw new RangeError(
          `ConfusionMatrix: expected ${this.counts.length} counts (20x20), got ${counts.length}`,
        );
      }
      for (let i = 0; i < counts.length; i++) {
        const c = counts[i];
        if (!Number.isSafeInteger(c) || c < 0) {
          throw new RangeError(`ConfusionMatrix: count ${String(c)} at position ${i} is not a non-negative integer`);
        }
        this.counts[i] = c;
      }
    }
  }

  /**
   * Adds one or more images' pixels. `pred` holds class indices 0..19; `label` holds trainIds 0..18,
   * 255 (void) or 19 (void, already remapped). The arrays are compared position by position, so any
   * flattening works as long as both use the same one. Throws on a length mismatch or a value out of
   * range, naming the value and its position, before anything is counted.
   */
  update(pred: ArrayLike<number>, label: ArrayLike<number>): this {
    const n = pred.length;
    if (label.length !== n) {
      throw new RangeError(
        `ConfusionMatrix.update: prediction has ${n} pixels but label has ${label.length}`,
      );
    }
    // Validate first so a bad batch leaves the matrix untouched (a partial update would be silent corruption).
    for (let i = 0; i < n; i++) {
      if (!isPredictionIndex(pred[i])) throw badPredictionError('ConfusionMatrix.update', pred[i], i);
      if (labelIndex(label[i]) < 0) throw badLabelError('ConfusionMatrix.update', label[i], i);
    }
    const counts = this.counts;
    for (let i = 0; i < n; i++) {
      counts[labelIndex(label[i]) * NUM_OUTPUTS + pred[i]] += 1;
    }
    return this;
  }

  /** Adds another matrix's counts (e.g. from another shard); the result equals one pass over both inputs. */
  merge(other: ConfusionMatrix): this {
    for (let i = 0; i < this.counts.length; i++) this.counts[i] += other.counts[i];
    return this;
  }

  /** Count of pixels with ground truth `gt` predicted as `pred` (both 0..19). */
  at(gt: number, pred: number): number {
    return this.counts[gt * NUM_OUTPUTS + pred];
  }

  /** Total number of pixels counted, void included. */
  total(): number {
    let s = 0;
    for (const c of this.counts) s += c;
    return s;
  }

  clone(): ConfusionMatrix {
    return new ConfusionMatrix(this.counts);
  }

  toJSON(): ConfusionMatrixJson {
    const counts: number[][] = [];
    for (let r = 0; r < NUM_OUTPUTS; r++) {
      counts.push(Array.from(this.counts.subarray(r * NUM_OUTPUTS, (r + 1) * NUM_OUTPUTS)));
    }
    return { kind: 'confusion-matrix', size: NUM_OUTPUTS, voidIndex: VOID_INDEX, counts };
  }

  /** Rebuilds a matrix from {@link toJSON}'s output (or its parsed JSON text), validating the shape. */
  static fromJSON(json: unknown): ConfusionMatrix {
    const parsed = confusionMatrixJsonSchema.safeParse(json);
    if (!parsed.success) {
      throw new TypeError(`ConfusionMatrix.fromJSON: invalid confusion matrix JSON: ${z.prettifyError(parsed.error)}`);
    }
    return new ConfusionMatrix(parsed.data.counts.flat());
  }
}
