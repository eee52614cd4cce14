import * as tf from '@tensorflow/tfjs';
import { paramSpecs, predictProbs, segnetForward, type SegNet } from '@unpool/models';
import { segmentationLoss } from '../train/segmentation_loss.js';
import type { SegNetEngine, StepGradients, TrainBatch } from './segnet_engine.js';

/** The tfjs engine: autodiff on the active backend. */
export function tfjsEngine(): SegNetEngine {
  return {
    name: 'tfjs',
    info: { backend: tf.getBackend() },
    async gradients(model: SegNet, batch: TrainBatch, classWeights: tf.Tensor1D, dropoutSeed: number | null): Promise<StepGradients> {
      const { value, grads } = tf.variableGrads(
        () => segmentationLoss(segnetForward(model.config, model.params, batch.images, { training: true, dropoutSeed }), batch.labels, classWeights),
        model.trainable,
      );
      const specs = paramSpecs(model.config).filter((s) => s.trainable);
      const named = new Map<string, tf.Tensor>();
      model.trainable.forEach((v, i) => named.set(specs[i].name, grads[v.name]));
      return { loss: value, grads: named };
    },
    async predictor(model: SegNet) {
      return {
        probs: async (images, options) => predictProbs(model.config, model.params, images, options),
        release: async () => {},
      };
    },
    async dispose() {},
  };
}
