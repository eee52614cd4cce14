import * as tf from '@tensorflow/tfjs';
import { dropoutMask, mcPassCount, mcPassSeed, paramSpecs, siteSeed, updateRunningStats, type SegNet, type SegNetConfig } from '@unpool/models';
import { OrtSegNet, ortVersion, type DropoutMaskInput, type OrtPredictor } from '@unpool/onnx';
import type { Predictor, SegNetEngine, StepGradients, TrainBatch } from './segnet_engine.js';

type RunningStats = Parameters<typeof updateRunningStats>[0];

/** Current values of the model's parameters (all, or trainable only) as typed arrays, by name. */
function readParams(model: SegNet, trainableOnly: boolean): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const s of paramSpecs(model.config)) {
    if (trainableOnly && !s.trainable) continue;
    out.set(s.name, model.params.get(s.name)!.dataSync() as Float32Array);
  }
  return out;
}

/** The masks `segnetForward` would draw for a pass with this dropout seed, NHWC, for the graph's mask inputs. */
function masksFor(config: SegNetConfig, inputs: readonly DropoutMaskInput[], batch: number, height: number, width: number, dropoutSeed: number): Map<string, Float32Array> {
  const masks = new Map<string, Float32Array>();
  for (const m of inputs) {
    const mask = dropoutMask([batch, height / m.scale, width / m.scale, m.channels], config.dropout, siteSeed(dropoutSeed, m.site));
    masks.set(m.name, mask.dataSync() as Float32Array);
    mask.dispose();
  }
  return masks;
}

class OrtEnginePredictor implements Predictor {
  constructor(
    private readonly config: SegNetConfig,
    private readonly ort: OrtPredictor,
  ) {}

  async probs(images: tf.Tensor4D, options: { mcSamples?: number; seed?: number }): Promise<tf.Tensor4D> {
    const [b, h, w] = images.shape;
    const pixels = images.dataSync() as Float32Array;
    const samples = mcPassCount(this.config, options.mcSamples);
    const shape: [number, number, number, number] = [b, h, w, this.config.classes];
    if (samples === 1) return tf.tensor4d(await this.ort.probs(pixels, b, h, w), shape);
    const inputs = await this.ort.masks();
    const seed = options.seed ?? 0;
    // Same seeds, order and float32 accumulation as predictProbs.
    const sum = new Float32Array(b * h * w * this.config.classes);
    for (let s = 0; s < samples; s++) {
      const p = await this.ort.probs(pixels, b, h, w, masksFor(this.config, inputs, b, h, w, mcPassSeed(seed, s)));
      for (let i = 0; i < sum.length; i++) sum[i] += p[i];
    }
    for (let i = 0; i < sum.length; i++) sum[i] /= samples;
    return tf.tensor4d(sum, shape);
  }

  release(): Promise<void> {
    return this.ort.release();
  }
}

/**
 * The ONNX Runtime engine: the whole training step (forward, loss, backward) as one ONNX graph on ORT's
 * CPU kernels with `threads` intra-op threads; inference through a session with the weights baked in.
 */
export function onnxruntimeEngine(config: SegNetConfig, options: { threads: number }): SegNetEngine {
  const ort = new OrtSegNet(config, { threads: options.threads });
  let masks: DropoutMaskInput[] | undefined;
  return {
    name: 'onnxruntime',
    info: { onnxruntime: ortVersion(), threads: options.threads, tfjsBackend: tf.getBackend() },
    async gradients(model: SegNet, batch: TrainBatch, classWeights: tf.Tensor1D, dropoutSeed: number | null): Promise<StepGradients> {
      const [n, height, width] = batch.images.shape;
      masks ??= await ort.trainMasks();
      if (masks.length && dropoutSeed === null) throw new Error('onnxruntime engine: a Bayesian model trains with dropout: give a dropout seed');
      // Reading weights and batch back each step is a memcpy on the CPU backends this engine runs beside
      // (wasm/cpu keep tensors in host memory; about 1 MB for SegNet-mini), not a device round trip.
      const out = await ort.trainStep({
        images: batch.images.dataSync() as Float32Array,
        labels: batch.labels.dataSync() as Int32Array,
        batch: n,
        height,
        width,
        classWeights: classWeights.dataSync() as Float32Array,
        params: readParams(model, true),
        masks: masks.length ? masksFor(config, masks, n, height, width, dropoutSeed!) : undefined,
      });
      const grads = new Map<string, tf.Tensor>();
      for (const s of paramSpecs(config)) if (s.trainable) grads.set(s.name, tf.tensor(out.grads.get(s.name)!, s.shape));
      for (const [bn, m] of out.moments) {
        const running = { mean: model.params.get(`${bn}.mean`)!, variance: model.params.get(`${bn}.variance`)! } as RunningStats;
        const [mean, variance] = [tf.tensor1d(m.mean), tf.tensor1d(m.variance)];
        updateRunningStats(running, mean, variance, m.count);
        tf.dispose([mean, variance]);
      }
      return { loss: tf.scalar(out.loss), grads };
    },
    async predictor(model: SegNet): Promise<Predictor> {
      return new OrtEnginePredictor(config, ort.predictor(readParams(model, false)));
    },
    dispose: () => ort.release(),
  };
}
