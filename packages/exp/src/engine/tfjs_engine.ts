import * as tf from '@tensorflow/tfjs';
import { paramSpecs, predictProbs, segnetForward, type SegNet } from '@unpool/models';
import type { Optimizer } from '../train/optimizer.js';
import { segmentationLoss } from '../train/segmentation_loss.js';
import type { SegNetEngine, Trainer } from './segnet_engine.js';

/** Loss and gradients by trainable parameter name (tfjs autodiff; the BN running statistics move as a side effect). */
export function tfjsGradients(
  model: SegNet,
  batch: { images: tf.Tensor4D; labels: tf.Tensor3D },
  classWeights: tf.Tensor1D,
  dropoutSeed: number | null,
): { loss: tf.Scalar; grads: Map<string, tf.Tensor> } {
  const { value, grads } = tf.variableGrads(
    () => segmentationLoss(segnetForward(model.config, model.params, batch.images, { training: true, dropoutSeed }), batch.labels, classWeights),
    model.trainable,
  );
  const specs = paramSpecs(model.config).filter((s) => s.trainable);
  const named = new Map<string, tf.Tensor>();
  model.trainable.forEach((v, i) => named.set(specs[i].name, grads[v.name]));
  return { loss: value, grads: named };
}

function tfjsTrainer(model: SegNet, optimizer: Optimizer): Trainer {
  const params = new Map(paramSpecs(model.config).filter((s) => s.trainable).map((s) => [s.name, model.params.get(s.name)!]));
  return {
    async step(batch, classWeights, dropoutSeed, lr) {
      const { loss, grads } = tfjsGradients(model, batch, classWeights, dropoutSeed);
      optimizer.apply(params, grads, lr);
      tf.dispose([...grads.values()]);
      return loss;
    },
    sync: () => {},
    dispose: async () => {},
  };
}

/** The tfjs engine: autodiff and the tfjs Optimizer on the active backend. */
export function tfjsEngine(): SegNetEngine {
  return {
    name: 'tfjs',
    info: { backend: tf.getBackend() },
    trainer: async (model, optimizer) => tfjsTrainer(model, optimizer),
    async predictor(model: SegNet) {
      return {
        probs: async (images, options) => predictProbs(model.config, model.params, images, options),
        release: async () => {},
      };
    },
    async dispose() {},
  };
}
