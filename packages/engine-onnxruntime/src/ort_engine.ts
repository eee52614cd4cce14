import * as tf from '@tensorflow/tfjs';
import { dropoutMask, mcPassCount, mcPassSeed, paramSpecs, siteSeed, type DropoutStep, type SegNet, type SegNetConfig } from '@unpool/models';
import { OrtSegNet, ortVersion, type ExecutionProvider, type OrtPredictor, type OrtTrainer } from '@unpool/onnx';
import { gpuAdapterName } from './gpu_adapter.js';
import type { Optimizer, Predictor, SegNetEngine, Trainer } from '@unpool/exp';

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
export function masksFor(inputs: readonly DropoutStep[], batch: number, height: number, width: number, dropoutSeed: number): Map<string, Float32Array> {
  const masks = new Map<string, Float32Array>();
  for (const m of inputs) {
    const mask = dropoutMask([batch, height / m.scale, width / m.scale, m.channels], m.rate, siteSeed(dropoutSeed, m.site));
    masks.set(m.mask, mask.dataSync() as Float32Array);
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
      const p = await this.ort.probs(pixels, b, h, w, masksFor(inputs, b, h, w, mcPassSeed(seed, s)));
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
 * The run's weights, optimizer slots and running statistics live in the ORT trainer between steps; `sync`
 * copies them back into the model's variables and the optimizer for evaluation and checkpoints.
 */
async function ortTrainer(ort: OrtSegNet, model: SegNet, optimizer: Optimizer): Promise<{ trainer: Trainer; ortTrainer: OrtTrainer }> {
  const params = readParams(model, false);
  const slots = new Map(optimizer.state().map((s) => [s.name, s.tensor.dataSync() as Float32Array]));
  const sizes = new Map(paramSpecs(model.config).map((s) => [s.name, s.shape.reduce((a, b) => a * b, 1)]));
  // A slot the optimizer has not made yet starts at zero, as the tfjs optimizer's do.
  const initial = (name: string) => params.get(name) ?? slots.get(name) ?? (name.includes('#') ? new Float32Array(sizes.get(name.slice(0, name.lastIndexOf('#')))!) : undefined);
  const trainer: OrtTrainer = await ort.trainer(optimizer.config, initial);
  const engineTrainer: Trainer = {
    async step(batch, classWeights, dropoutSeed, lr) {
      const [n, height, width] = batch.images.shape;
      const masks = trainer.masks;
      if (masks.length && dropoutSeed === null) throw new Error('onnxruntime engine: a Bayesian model trains with dropout: give a dropout seed');
      const loss = await trainer.step({
        images: batch.images.dataSync() as Float32Array,
        labels: batch.labels.dataSync() as Int32Array,
        batch: n,
        height,
        width,
        classWeights: classWeights.dataSync() as Float32Array,
        lr: optimizer.nextStepSize(lr),
        masks: masks.length ? masksFor(masks, n, height, width, dropoutSeed!) : undefined,
      });
      return tf.scalar(loss);
    },
    async sync() {
      const state = await trainer.state();
      const slotTensors = new Map<string, tf.Tensor>();
      tf.tidy(() => {
        for (const [name, values] of state) {
          const v = model.params.get(name);
          if (v) v.assign(tf.tensor(values, v.shape));
          else slotTensors.set(name, tf.keep(tf.tensor(values, model.params.get(name.slice(0, name.lastIndexOf('#')))!.shape)));
        }
      });
      optimizer.restore(optimizer.t, slotTensors);
      tf.dispose([...slotTensors.values()]);
    },
    dispose: () => trainer.release(),
  };
  return { ortTrainer: trainer, trainer: engineTrainer };
}

/**
 * The ONNX Runtime engine: the whole training step (forward, loss, backward, optimizer, running statistics)
 * as one ONNX graph on the execution provider `ep` (CPU kernels with `threads` intra-op threads, or the
 * WebGPU / CUDA EP with zero CPU-EP nodes); inference through a session with the weights baked in.
 */
export function onnxruntimeEngine(config: SegNetConfig, options: { threads: number; ep?: ExecutionProvider; spinWait?: boolean }): SegNetEngine {
  const ep = options.ep ?? 'cpu';
  const ort = new OrtSegNet(config, { threads: options.threads, ep, spinWait: options.spinWait });
  const adapter = ep === 'webgpu' ? gpuAdapterName() : null;
  let trainerRef: OrtTrainer | null = null;
  return {
    name: 'onnxruntime',
    info: { onnxruntime: ortVersion(), threads: options.threads, tfjsBackend: tf.getBackend(), executionProvider: ep, adapter },
    placement: () => {
      const nodes = (n: number | null): Record<string, number> => (n === null ? {} : ep === 'cpu' ? { cpu: n } : { [ep]: n, cpu: 0 });
      return {
        executionProvider: ep,
        adapter,
        nodes: { train: nodes(ort.graphNodes.train), inference: nodes(ort.graphNodes.inference) },
        hostBytesPerStep: trainerRef?.hostBytes ?? null,
      };
    },
    trainer: async (model, optimizer) => {
      const { trainer, ortTrainer: inner } = await ortTrainer(ort, model, optimizer);
      trainerRef = inner;
      return trainer;
    },
    async predictor(model: SegNet): Promise<Predictor> {
      return new OrtEnginePredictor(config, ort.predictor(readParams(model, false)));
    },
    dispose: async () => {},
  };
}
