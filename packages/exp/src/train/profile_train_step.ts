import * as tf from '@tensorflow/tfjs';
import { segnetForward, type SegNet } from '@unpool/models';
import { segmentationLoss } from './segmentation_loss.js';

/**
 * tf.profile of one training forward + backward (no optimizer update) on a batch: peak bytes and per-kernel
 * launches/times. The batch-norm running statistics it touches are put back, so profiling a model leaves
 * it exactly as it was (a run that profiles before training stays reproducible). The caller keeps the batch.
 */
export async function profileTrainStep(
  model: SegNet,
  batch: { images: tf.Tensor4D; labels: tf.Tensor3D },
  classWeights: number[],
): Promise<Awaited<ReturnType<typeof tf.profile>>> {
  const frozen = [...model.params.entries()].filter(([, v]) => !v.trainable).map(([k, v]) => [k, v.clone()] as const);
  const w = tf.tensor1d(classWeights);
  try {
    return await tf.profile(() => {
      const dropoutSeed = model.config.bayesian ? 1 : null;
      const { value, grads } = tf.variableGrads(
        () => segmentationLoss(segnetForward(model.config, model.params, batch.images, { training: true, dropoutSeed }), batch.labels, w),
        model.trainable,
      );
      tf.dispose([value, ...Object.values(grads)]);
    });
  } finally {
    for (const [k, v] of frozen) {
      model.params.get(k)!.assign(v);
      v.dispose();
    }
    w.dispose();
  }
}
