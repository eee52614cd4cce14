import { z } from 'zod';
import { type JsonNumber, ratioOrNull } from './json_number.js';
import { NUM_OUTPUTS, VOID_INDEX, badLabelError, labelIndex } from './label_space.js';
import { checkProbabilityLayout, entropyAt } from './predictive_entropy.js';

/** Default number of equal-width confidence bins for the expected calibration error. */
export const DEFAULT_CALIBRATION_BINS = 10;

const optionsSchema = z
  .object({
    numClasses: z.number().int().min(2).max(NUM_OUTPUTS).optional(),
    bins: z.number().int().min(1).max(1000).optional(),
  })
  .strict();

export interface UncertaintyOptions {
  /** Channels per pixel in `meanProbs`; default 20 (19 classes + void). */
  numClasses?: number;
  /** Equal-width bins of max-probability over [0, 1]; default {@link DEFAULT_CALIBRATION_BINS}. */
  bins?: number;
}

export interface CalibrationBin {
  /** Bin covers confidences in [lower, upper); the last bin includes 1. */
  lower: number;
  upper: number;
  pixels: number;
  /** Mean max-probability of the bin's pixels; null for an empty bin. */
  meanConfidence: JsonNumber;
  /** Fraction of the bin's pixels predicted correctly; null for an empty bin. */
  accuracy: JsonNumber;
}

export interface UncertaintyScores {
  numClasses: number;
  /** Pixels scored (non-void ground truth). */
  pixels: number;
  correctPixels: number;
  incorrectPixels: number;
  /** correctPixels / pixels. */
  accuracy: JsonNumber;
  /** ln(numClasses): the entropy of a uniform distribution, for scale. */
  maxEntropy: number;
  /** Mean predictive entropy (nats) over all scored pixels. */
  meanEntropy: JsonNumber;
  /** Mean predictive entropy over correctly predicted pixels; null when there are none. */
  meanEntropyCorrect: JsonNumber;
  /** Mean predictive entropy over wrongly predicted pixels; null when there are none. */
  meanEntropyIncorrect: JsonNumber;
  /** Mean max-probability over scored pixels. */
  meanConfidence: JsonNumber;
  /**
   * Expected calibration error: sum over bins of (bin pixels / pixels) * |bin accuracy - bin mean
   * confidence|, with `bins` equal-width bins of the max-probability. null when no pixel was scored.
   */
  ece: JsonNumber;
  bins: CalibrationBin[];
}

export interface UncertaintyAccumulatorJson {
  kind: 'uncertainty-accumulator';
  numClasses: number;
  bins: number;
  correctPixels: number;
  incorrectPixels: number;
  entropySumCorrect: number;
  entropySumIncorrect: number;
  binPixels: number[];
  binConfidenceSum: number[];
  binCorrect: number[];
}

/**
 * Streaming uncertainty summary for Bayesian (MC dropout) models, fed with the softmax averaged over
 * the MC samples.
 *
 * Per pixel: the prediction is the argmax of the mean probabilities (the lowest class index on ties),
 * the confidence is that maximum probability, and the uncertainty is the predictive entropy (nats).
 * Pixels whose ground truth is void (255 or 19) are skipped, matching the Cityscapes convention of
 * `segmentationScores`; a void prediction on a class pixel counts as incorrect.
 *
 * Only sums and counts are kept, so `merge` of shards equals one pass up to floating-point rounding.
 */
export class UncertaintyAccumulator {
  readonly numClasses: number;
  readonly bins: number;
  correctPixels = 0;
  incorrectPixels = 0;
  entropySumCorrect = 0;
  entropySumIncorrect = 0;
  readonly binPixels: Float64Array;
  readonly binConfidenceSum: Float64Array;
  readonly binCorrect: Float64Array;

  constructor(options: UncertaintyOptions = {}) {
    const parsed = optionsSchema.safeParse(options);
    if (!parsed.success) {
      throw new RangeError(`UncertaintyAccumulator: invalid options: ${z.prettifyError(parsed.error)}`);
    }
    this.numClasses = parsed.data.numClasses ?? NUM_OUTPUTS;
    this.bins = parsed.data.bins ?? DEFAULT_CALIBRATION_BINS;
    this.binPixels = new Float64Array(this.bins);
    this.binConfidenceSum = new Float64Array(this.bins);
    this.binCorrect = new Float64Array(this.bins);
  }

  /**
   * Adds pixels. `meanProbs` is pixel-major, class-minor (`label.length * numClasses` values);
   * `label` holds trainIds 0..18 or void (255 or 19). `numClasses`, if given, must equal the
   * accumulator's: it lets a caller assert the layout it read back. Validated before anything is counted.
   */
  update(meanProbs: ArrayLike<number>, label: ArrayLike<number>, numClasses: number = this.numClasses): this {
    const where = 'UncertaintyAccumulator.update';
    const k = this.numClasses;
    if (numClasses !== k) {
      throw new RangeError(`${where}: numClasses ${String(numClasses)} differs from the accumulator's ${k}`);
    }
    checkProbabilityLayout(where, meanProbs, k);
    if (meanProbs.length !== label.length * k) {
      throw new RangeError(
        `${where}: meanProbs has ${meanProbs.length} values but label has ${label.length} pixels x ${k} classes`,
      );
    }
    const n = label.length;
    for (let i = 0; i < n; i++) {
      const g = labelIndex(label[i]);
      if (g < 0 || (g !== VOID_INDEX && g >= k)) throw badLabelError(where, label[i], i);
    }
    const entropy = new Float64Array(n);
    for (let i = 0; i < n; i++) entropy[i] = entropyAt(meanProbs, i * k, k, where);

    for (let i = 0; i < n; i++) {
      const g = labelIndex(label[i]);
      if (g === VOID_INDEX) continue;
      const base = i * k;
      let best = 0;
      let conf = meanProbs[base];
      for (let c = 1; c < k; c++) {
        const p = meanProbs[base + c];
        if (p > conf) {
          conf = p;
          best = c;
        }
      }
      const correct = best === g;
      if (correct) {
        this.correctPixels += 1;
        this.entropySumCorrect += entropy[i];
      } else {
        this.incorrectPixels += 1;
        this.entropySumIncorrect += entropy[i];
      }
      // Rounding can push a confidence a hair above 1: it still belongs in the last bin.
      const b = Math.min(this.bins - 1, Math.floor(conf * this.bins));
      this.binPixels[b] += 1;
      this.binConfidenceSum[b] += conf;
      if (correct) this.binCorrect[b] += 1;
    }
    return this;
  }

  merge(other: UncertaintyAccumulator): this {
    if (other.numClasses !== this.numClasses || other.bins !== this.bins) {
      throw new RangeError(
        `UncertaintyAccumulator.merge: numClasses/bins differ (${this.numClasses}/${this.bins} vs ` +
          `${other.numClasses}/${other.bins})`,
      );
    }
    this.correctPixels += other.correctPixels;
    this.incorrectPixels += other.incorrectPixels;
    this.entropySumCorrect += other.entropySumCorrect;
    this.entropySumIncorrect += other.entropySumIncorrect;
    for (let b = 0; b < this.bins; b++) {
      this.binPixels[b] += other.binPixels[b];
      this.binConfidenceSum[b] += other.binConfidenceSum[b];
      this.binCorrect[b] += other.binCorrect[b];
    }
    return this;
  }

  scores(): UncertaintyScores {
    const pixels = this.correctPixels + this.incorrectPixels;
    const bins: CalibrationBin[] = [];
    let confidenceSum = 0;
    let ece = 0;
    for (let b = 0; b < this.bins; b++) {
      const nb = this.binPixels[b];
      const meanConfidence = ratioOrNull(this.binConfidenceSum[b], nb);
      const accuracy = ratioOrNull(this.binCorrect[b], nb);
      bins.push({ lower: b / this.bins, upper: (b + 1) / this.bins, pixels: nb, meanConfidence, accuracy });
      confidenceSum += this.binConfidenceSum[b];
      if (meanConfidence !== null && accuracy !== null) ece += (nb / pixels) * Math.abs(accuracy - meanConfidence);
    }
    return {
      numClasses: this.numClasses,
      pixels,
      correctPixels: this.correctPixels,
      incorrectPixels: this.incorrectPixels,
      accuracy: ratioOrNull(this.correctPixels, pixels),
      maxEntropy: Math.log(this.numClasses),
      meanEntropy: ratioOrNull(this.entropySumCorrect + this.entropySumIncorrect, pixels),
      meanEntropyCorrect: ratioOrNull(this.entropySumCorrect, this.correctPixels),
      meanEntropyIncorrect: ratioOrNull(this.entropySumIncorrect, this.incorrectPixels),
      meanConfidence: ratioOrNull(confidenceSum, pixels),
      ece: pixels > 0 ? ece : null,
      bins,
    };
  }

  toJSON(): UncertaintyAccumulatorJson {
    return {
      kind: 'uncertainty-accumulator',
      numClasses: this.numClasses,
      bins: this.bins,
      correctPixels: this.correctPixels,
      incorrectPixels: this.incorrectPixels,
      entropySumCorrect: this.entropySumCorrect,
      entropySumIncorrect: this.entropySumIncorrect,
      binPixels: Array.from(this.binPixels),
      binConfidenceSum: Array.from(this.binConfidenceSum),
      binCorrect: Array.from(this.binCorrect),
    };
  }

  /** Rebuilds an accumulator from {@link toJSON}'s output (or its parsed JSON text), validating it. */
  static fromJSON(json: unknown): UncertaintyAccumulator {
    const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
    const sum = z.number().finite().nonnegative();
    const parsed = z
      .object({
        kind: z.literal('uncertainty-accumulator'),
        numClasses: z.number().int(),
        bins: z.number().int(),
        correctPixels: count,
        incorrectPixels: count,
        entropySumCorrect: sum,
        entropySumIncorrect: sum,
        binPixels: z.array(count),
        binConfidenceSum: z.array(sum),
        binCorrect: z.array(count),
      })
      .safeParse(json);
    if (!parsed.success) {
      throw new TypeError(`UncertaintyAccumulator.fromJSON: invalid JSON: ${z.prettifyError(parsed.error)}`);
    }
    const d = parsed.data;
    const acc = new UncertaintyAccumulator({ numClasses: d.numClasses, bins: d.bins });
    for (const [name, arr] of [
      ['binPixels', d.binPixels],
      ['binConfidenceSum', d.binConfidenceSum],
      ['binCorrect', d.binCorrect],
    ] as const) {
      if (arr.length !== d.bins) {
        throw new RangeError(`UncertaintyAccumulator.fromJSON: ${name} has ${arr.length} entries, expected ${d.bins}`);
      }
    }
    acc.correctPixels = d.correctPixels;
    acc.incorrectPixels = d.incorrectPixels;
    acc.entropySumCorrect = d.entropySumCorrect;
    acc.entropySumIncorrect = d.entropySumIncorrect;
    acc.binPixels.set(d.binPixels);
    acc.binConfidenceSum.set(d.binConfidenceSum);
    acc.binCorrect.set(d.binCorrect);
    return acc;
  }
}
