import * as tf from '@tensorflow/tfjs';
import type { SegDataset } from '@unpool/datasets';
import { makeBatch } from '@unpool/datasets';
import { BoundaryAccumulator, ConfusionMatrix, UncertaintyAccumulator, predictiveEntropy, segmentationScores } from '@unpool/metrics';
import type { SegNet } from '@unpool/models';
import type { Predictor, SegNetEngine } from './engine/segnet_engine.js';
import type { EvalScores } from '@unpool/results';

export interface EvaluateOptions {
  /** Images scored: the first `count` of the data set (a fixed subset, so curves compare like with like). */
  count: number;
  batchSize: number;
  mcSamples: number;
  seed: number;
  /** Keep per-image predictions/entropies for the first `keep` images (qualitative figures). */
  keep?: number;
  boundaryTolerance?: number;
  /** Skip the boundary and uncertainty accumulators (cheaper curve evaluations). */
  light?: boolean;
}

export interface KeptImage {
  index: number;
  id: string;
  image: Float32Array;
  label: Uint8Array;
  prediction: Uint8Array;
  entropy: Float32Array | null;
  miou: number | null;
}

export interface EvaluateOutput {
  scores: EvalScores;
  kept: KeptImage[];
}

/**
 * Scores a model on a data set: streaming confusion matrix, boundary F-score and (for MC-dropout models)
 * uncertainty. Predictions are read back once per batch, which is the point of evaluation, not a hot path.
 */
/** The model's predictions are NaN/Inf: its run is diverged, whatever its weights look like. */
export class NonFiniteOutputError extends Error {}

export async function evaluate(model: SegNet, dataset: SegDataset, options: EvaluateOptions, engine: SegNetEngine): Promise<EvaluateOutput> {
  const predictor = await engine.predictor(model);
  try {
    return await score(model, dataset, options, predictor);
  } finally {
    await predictor.release();
  }
}

async function score(model: SegNet, dataset: SegDataset, options: EvaluateOptions, predictor: Predictor): Promise<EvaluateOutput> {
  const count = Math.min(options.count, dataset.size);
  const cm = new ConfusionMatrix();
  const boundary = options.light ? null : new BoundaryAccumulator({ tolerance: options.boundaryTolerance ?? 2 });
  const mc = model.config.bayesian && options.mcSamples > 1;
  const uncertainty = mc && !options.light ? new UncertaintyAccumulator({ numClasses: model.config.classes }) : null;
  const kept: KeptImage[] = [];
  const { height, width } = dataset;
  const pixels = height * width;
  const classes = model.config.classes;
  for (let start = 0; start < count; start += options.batchSize) {
    const indices = Array.from({ length: Math.min(options.batchSize, count - start) }, (_, i) => start + i);
    const batch = makeBatch(dataset, indices);
    const probs = await predictor.probs(batch.images, { mcSamples: options.mcSamples, seed: options.seed + start });
    const [nonFinite, predData, probData, labelData] = await Promise.all([
      tf.tidy(() => tf.sum(tf.cast(tf.logicalNot(tf.isFinite(probs)), 'int32'))).data().then((d) => d[0]),
      tf.tidy(() => tf.argMax(probs, -1)).data().then((d) => d as Int32Array),
      uncertainty || (mc && kept.length < (options.keep ?? 0)) ? probs.data() : Promise.resolve(null),
      batch.labels.data(),
    ]);
    tf.dispose([probs, batch.images, batch.labels]);
    // argmax over NaN picks class 0, which would score a broken model as a (poor) working one.
    if (nonFinite > 0) throw new NonFiniteOutputError(`${nonFinite} non-finite class probabilities on ${dataset.name} images ${start}..${start + indices.length - 1}`);
    indices.forEach((index, b) => {
      const pred = predData.subarray(b * pixels, (b + 1) * pixels);
      const label = (labelData as Int32Array).subarray(b * pixels, (b + 1) * pixels);
      cm.update(pred, label);
      boundary?.update(pred, label, height, width);
      const p = probData ? (probData as Float32Array).subarray(b * pixels * classes, (b + 1) * pixels * classes) : null;
      if (uncertainty && p) uncertainty.update(p, label);
      if (index < (options.keep ?? 0)) {
        const single = new ConfusionMatrix();
        single.update(pred, label);
        const sample = dataset.get(index);
        kept.push({
          index,
          id: sample.id,
          image: sample.image,
          label: sample.label,
          prediction: Uint8Array.from(pred),
          entropy: p ? predictiveEntropy(p, classes) : null,
          miou: segmentationScores(single).miou,
        });
      }
    });
  }
  const s = segmentationScores(cm);
  const b = boundary?.scores();
  const u = uncertainty?.scores();
  return {
    kept,
    scores: {
      images: count,
      mcSamples: mc ? options.mcSamples : 1,
      miou: s.miou,
      iou: s.iou,
      iouVoid: s.iouVoid,
      miou20Paper: s.miou20Paper,
      globalAccuracy: s.globalAccuracy,
      meanClassAccuracy: s.meanClassAccuracy,
      boundary: {
        d: options.boundaryTolerance ?? 2,
        fscore: b?.meanF ?? null,
        perClass: b ? b.perClass.map((c) => c.f) : new Array(19).fill(null),
        trimapIoU: b?.trimap.miou ?? null,
      },
      uncertainty: u
        ? {
            mcSamples: options.mcSamples,
            meanEntropy: u.meanEntropy,
            entropyCorrect: u.meanEntropyCorrect,
            entropyIncorrect: u.meanEntropyIncorrect,
            ece: u.ece,
          }
        : null,
    },
  };
}
