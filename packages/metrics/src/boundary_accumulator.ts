import { z } from 'zod';
import { ConfusionMatrix } from './confusion_matrix.js';
import { diskOffsets } from './disk_offsets.js';
import { type JsonNumber, meanOfDefined, ratioOrNull } from './json_number.js';
import { labelBoundary } from './label_boundary.js';
import {
  NUM_CLASSES,
  NUM_OUTPUTS,
  VOID_INDEX,
  badLabelError,
  badPredictionError,
  isPredictionIndex,
  labelIndex,
} from './label_space.js';
import { segmentationScores } from './segmentation_scores.js';

/** Default boundary tolerance in pixels, chosen for 64x192 evaluation frames. */
export const DEFAULT_BOUNDARY_TOLERANCE = 2;

/** Radii above this would make the disk probe quadratic in practice; nothing at these sizes needs it. */
const MAX_RADIUS = 64;

const optionsSchema = z
  .object({
    tolerance: z.number().finite().min(0).max(MAX_RADIUS).optional(),
    trimapWidth: z.number().finite().min(0).max(MAX_RADIUS).optional(),
  })
  .strict();

export interface BoundaryOptions {
  /**
   * Matching tolerance d in pixels (Euclidean disk radius, may be fractional). A predicted boundary pixel
   * is correct when a ground-truth boundary pixel of the same class lies within distance d, and vice
   * versa. Default {@link DEFAULT_BOUNDARY_TOLERANCE}; scale it with the resolution.
   */
  tolerance?: number;
  /** Half-width of the trimap band in pixels (distance to a ground-truth boundary pixel). Default: `tolerance`. */
  trimapWidth?: number;
}

/** Boundary precision/recall/F for one class, or pooled over all classes. */
export interface BoundaryClassScore {
  /** predMatched / predBoundary; null when there are no predicted boundary pixels. */
  precision: JsonNumber;
  /** gtMatched / gtBoundary; null when there are no ground-truth boundary pixels. */
  recall: JsonNumber;
  /**
   * Harmonic mean of precision and recall. 0 when only one side has boundary pixels (nothing can
   * match) or when both ratios are 0; null when neither side has any boundary pixel.
   */
  f: JsonNumber;
  /** Predicted boundary pixels of the class. */
  predBoundary: number;
  /** ...of which lie within `tolerance` of a ground-truth boundary pixel of the same class. */
  predMatched: number;
  /** Ground-truth boundary pixels of the class. */
  gtBoundary: number;
  /** ...of which lie within `tolerance` of a predicted boundary pixel of the same class. */
  gtMatched: number;
}

export interface BoundaryScores {
  tolerance: number;
  trimapWidth: number;
  /** Number of images accumulated. */
  images: number;
  /** Per trainId 0..18. */
  perClass: BoundaryClassScore[];
  /** Mean of the defined per-class F-scores; null if none is defined. */
  meanF: JsonNumber;
  /** trainIds whose F is null (no boundary in ground truth or prediction), skipped by `meanF`. */
  absentClasses: number[];
  /**
   * Counts summed over the 19 classes, then scored: a boundary pixel counts once, under its own class.
   * Boundaries of predicted-void regions are not counted for any class (void is not a class in this
   * convention); the edges they cut into real classes still show up as those classes' boundary pixels.
   */
  overall: BoundaryClassScore;
  /**
   * IoU restricted to the trimap band: non-void pixels within `trimapWidth` of a ground-truth boundary
   * pixel. Cityscapes convention (see `segmentationScores`); null IoU for classes absent from the band.
   */
  trimap: {
    iou: JsonNumber[];
    miou: JsonNumber;
    absentClasses: number[];
    globalAccuracy: JsonNumber;
    /** Pixels in the band. */
    pixels: number;
  };
}

/** JSON form of a {@link BoundaryAccumulator}, enough to resume or merge shards. */
export interface BoundaryAccumulatorJson {
  kind: 'boundary-accumulator';
  tolerance: number;
  trimapWidth: number;
  images: number;
  predBoundary: number[];
  predMatched: number[];
  gtBoundary: number[];
  gtMatched: number[];
  trimap: ReturnType<ConfusionMatrix['toJSON']>;
}

const countArray = z.array(z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)).length(NUM_CLASSES);

const jsonSchema = z.object({
  kind: z.literal('boundary-accumulator'),
  tolerance: z.number().finite().min(0).max(MAX_RADIUS),
  trimapWidth: z.number().finite().min(0).max(MAX_RADIUS),
  images: z.number().int().nonnegative(),
  predBoundary: countArray,
  predMatched: countArray,
  gtBoundary: countArray,
  gtMatched: countArray,
  trimap: z.unknown(),
});

/**
 * Streaming boundary quality over a data set: per-class boundary F-score within a tolerance band and
 * trimap IoU.
 *
 * Boundaries are those of `labelBoundary` (both sides of every 4-neighbour label change, void
 * ground-truth pixels excluded from both maps). A boundary pixel of class c in one map is matched when
 * the other map has a boundary pixel of the same class c within Euclidean distance `tolerance`.
 *
 * Streaming: each image adds its per-class counts (predicted boundary pixels, matched ones, ground-truth
 * boundary pixels, matched ones) to running sums, and precision/recall/F are computed once from the
 * sums. The result is therefore pooled over pixels across the data set (an image with more boundary
 * pixels weighs more), independent of the order of images, and `merge` of shards equals one pass.
 * This deliberately differs from averaging per-image F-scores, which is undefined for images lacking
 * a class and cannot be merged exactly.
 *
 * Cost per image: O(H*W + boundary pixels x disk area).
 */
export class BoundaryAccumulator {
  readonly tolerance: number;
  readonly trimapWidth: number;
  readonly predBoundary = new Float64Array(NUM_CLASSES);
  readonly predMatched = new Float64Array(NUM_CLASSES);
  readonly gtBoundary = new Float64Array(NUM_CLASSES);
  readonly gtMatched = new Float64Array(NUM_CLASSES);
  /** Confusion matrix over trimap-band pixels only. */
  readonly trimap = new ConfusionMatrix();
  images = 0;

  private readonly matchDisk: Int32Array;
  private readonly bandDisk: Int32Array;
  // Scratch buffers reused across images of the same size.
  private gt = new Uint8Array(0);
  private pr = new Uint8Array(0);
  private valid = new Uint8Array(0);
  private gtB = new Uint8Array(0);
  private prB = new Uint8Array(0);
  private band = new Uint8Array(0);

  constructor(options: BoundaryOptions = {}) {
    const parsed = optionsSchema.safeParse(options);
    if (!parsed.success) {
      throw new RangeError(`BoundaryAccumulator: invalid options: ${z.prettifyError(parsed.error)}`);
    }
    this.tolerance = parsed.data.tolerance ?? DEFAULT_BOUNDARY_TOLERANCE;
    this.trimapWidth = parsed.data.trimapWidth ?? this.tolerance;
    this.matchDisk = diskOffsets(this.tolerance);
    this.bandDisk = diskOffsets(this.trimapWidth);
  }

  /**
   * Adds images. `pred` holds class indices 0..19 and `label` trainIds (255 or 19 = void), both
   * row-major `height x width`; a length that is a multiple k of height*width is read as k images in
   * sequence (e.g. a flattened [k, H, W] batch). Everything is validated before anything is counted.
   */
  update(pred: ArrayLike<number>, label: ArrayLike<number>, height: number, width: number): this {
    if (!Number.isSafeInteger(height) || height <= 0 || !Number.isSafeInteger(width) || width <= 0) {
      throw new RangeError(
        `BoundaryAccumulator.update: height and width must be positive integers, got ${String(height)}x${String(width)}`,
      );
    }
    const n = height * width;
    if (pred.length !== label.length || pred.length === 0 || pred.length % n !== 0) {
      throw new RangeError(
        `BoundaryAccumulator.update: prediction (${pred.length}) and label (${label.length}) must have the same ` +
          `length, a positive multiple of ${height}x${width} = ${n}`,
      );
    }
    for (let i = 0; i < pred.length; i++) {
      if (!isPredictionIndex(pred[i])) throw badPredictionError('BoundaryAccumulator.update', pred[i], i);
      if (labelIndex(label[i]) < 0) throw badLabelError('BoundaryAccumulator.update', label[i], i);
    }
    this.ensureScratch(n);
    for (let start = 0; start < pred.length; start += n) {
      for (let i = 0; i < n; i++) {
        const g = labelIndex(label[start + i]);
        this.gt[i] = g;
        this.pr[i] = pred[start + i];
        this.valid[i] = g === VOID_INDEX ? 0 : 1;
      }
      this.addImage(height, width);
    }
    return this;
  }

  /** Adds another accumulator's sums (same tolerance and trimap width); equals one pass over both inputs. */
  merge(other: BoundaryAccumulator): this {
    if (other.tolerance !== this.tolerance || other.trimapWidth !== this.trimapWidth) {
      throw new RangeError(
        `BoundaryAccumulator.merge: tolerance/trimapWidth differ (${this.tolerance}/${this.trimapWidth} vs ` +
          `${other.tolerance}/${other.trimapWidth})`,
      );
    }
    for (let c = 0; c < NUM_CLASSES; c++) {
      this.predBoundary[c] += other.predBoundary[c];
      this.predMatched[c] += other.predMatched[c];
      this.gtBoundary[c] += other.gtBoundary[c];
      this.gtMatched[c] += other.gtMatched[c];
    }
    this.trimap.merge(other.trimap);
    this.images += other.images;
    return this;
  }

  scores(): BoundaryScores {
    const perClass: BoundaryClassScore[] = [];
    const absentClasses: number[] = [];
    const sum = { predBoundary: 0, predMatched: 0, gtBoundary: 0, gtMatched: 0 };
    for (let c = 0; c < NUM_CLASSES; c++) {
      const s = classScore(this.predBoundary[c], this.predMatched[c], this.gtBoundary[c], this.gtMatched[c]);
      perClass.push(s);
      if (s.f === null) absentClasses.push(c);
      sum.predBoundary += s.predBoundary;
      sum.predMatched += s.predMatched;
      sum.gtBoundary += s.gtBoundary;
      sum.gtMatched += s.gtMatched;
    }
    const t = segmentationScores(this.trimap);
    return {
      tolerance: this.tolerance,
      trimapWidth: this.trimapWidth,
      images: this.images,
      perClass,
      meanF: meanOfDefined(perClass.map((s) => s.f)),
      absentClasses,
      overall: classScore(sum.predBoundary, sum.predMatched, sum.gtBoundary, sum.gtMatched),
      trimap: {
        iou: t.iou,
        miou: t.miou,
        absentClasses: t.absentClasses,
        globalAccuracy: t.globalAccuracy,
        pixels: t.pixels.evaluated,
      },
    };
  }

  toJSON(): BoundaryAccumulatorJson {
    return {
      kind: 'boundary-accumulator',
      tolerance: this.tolerance,
      trimapWidth: this.trimapWidth,
      images: this.images,
      predBoundary: Array.from(this.predBoundary),
      predMatched: Array.from(this.predMatched),
      gtBoundary: Array.from(this.gtBoundary),
      gtMatched: Array.from(this.gtMatched),
      trimap: this.trimap.toJSON(),
    };
  }

  /** Rebuilds an accumulator from {@link toJSON}'s output (or its parsed JSON text), validating it. */
  static fromJSON(json: unknown): BoundaryAccumulator {
    const parsed = jsonSchema.safeParse(json);
    if (!parsed.success) {
      throw new TypeError(`BoundaryAccumulator.fromJSON: invalid JSON: ${z.prettifyError(parsed.error)}`);
    }
    const d = parsed.data;
    for (let c = 0; c < NUM_CLASSES; c++) {
      if (d.predMatched[c] > d.predBoundary[c] || d.gtMatched[c] > d.gtBoundary[c]) {
        throw new RangeError(`BoundaryAccumulator.fromJSON: class ${c} has more matched than boundary pixels`);
      }
    }
    const acc = new BoundaryAccumulator({ tolerance: d.tolerance, trimapWidth: d.trimapWidth });
    acc.predBoundary.set(d.predBoundary);
    acc.predMatched.set(d.predMatched);
    acc.gtBoundary.set(d.gtBoundary);
    acc.gtMatched.set(d.gtMatched);
    acc.trimap.merge(ConfusionMatrix.fromJSON(d.trimap));
    acc.images = d.images;
    return acc;
  }

  private ensureScratch(n: number): void {
    if (this.gt.length === n) return;
    this.gt = new Uint8Array(n);
    this.pr = new Uint8Array(n);
    this.valid = new Uint8Array(n);
    this.gtB = new Uint8Array(n);
    this.prB = new Uint8Array(n);
    this.band = new Uint8Array(n);
  }

  /** Scores the image held in the scratch buffers. */
  private addImage(height: number, width: number): void {
    const { gt, pr, valid, gtB, prB, band } = this;
    labelBoundary(gt, valid, height, width, gtB);
    labelBoundary(pr, valid, height, width, prB);
    const disk = this.matchDisk;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const p = y * width + x;
        if (prB[p]) {
          const c = pr[p];
          // Predicted void is not a class here; see BoundaryScores.overall.
          if (c < NUM_CLASSES) {
            this.predBoundary[c] += 1;
            if (anyWithin(disk, y, x, height, width, gtB, gt, c)) this.predMatched[c] += 1;
          }
        }
        if (gtB[p]) {
          const c = gt[p];
          this.gtBoundary[c] += 1;
          if (anyWithin(disk, y, x, height, width, prB, pr, c)) this.gtMatched[c] += 1;
        }
      }
    }

    band.fill(0);
    const bandDisk = this.bandDisk;
    for (let p = 0; p < gt.length; p++) {
      if (!gtB[p]) continue;
      const y = Math.floor(p / width);
      const x = p - y * width;
      for (let k = 0; k < bandDisk.length; k += 2) {
        const yy = y + bandDisk[k];
        const xx = x + bandDisk[k + 1];
        if (yy >= 0 && yy < height && xx >= 0 && xx < width) band[yy * width + xx] = 1;
      }
    }
    const counts = this.trimap.counts;
    for (let p = 0; p < gt.length; p++) {
      if (band[p] && valid[p]) counts[gt[p] * NUM_OUTPUTS + pr[p]] += 1;
    }
    this.images += 1;
  }
}

/** True when some pixel within the disk around (y, x) is marked in `mask` and labelled `cls`. */
function anyWithin(
  disk: Int32Array,
  y: number,
  x: number,
  height: number,
  width: number,
  mask: Uint8Array,
  labels: Uint8Array,
  cls: number,
): boolean {
  for (let k = 0; k < disk.length; k += 2) {
    const yy = y + disk[k];
    const xx = x + disk[k + 1];
    if (yy < 0 || yy >= height || xx < 0 || xx >= width) continue;
    const q = yy * width + xx;
    if (mask[q] && labels[q] === cls) return true;
  }
  return false;
}

function classScore(
  predBoundary: number,
  predMatched: number,
  gtBoundary: number,
  gtMatched: number,
): BoundaryClassScore {
  const precision = ratioOrNull(predMatched, predBoundary);
  const recall = ratioOrNull(gtMatched, gtBoundary);
  let f: JsonNumber;
  if (precision === null && recall === null) f = null;
  else if (precision === null || recall === null || precision + recall === 0) f = 0;
  else f = (2 * precision * recall) / (precision + recall);
  return { precision, recall, f, predBoundary, predMatched, gtBoundary, gtMatched };
}
