import * as tf from '@tensorflow/tfjs';
import { flipHorizontal } from './flip.js';
import type { SegDataset } from './sample.js';

export interface BatchOptions {
  /** Per-slot horizontal flips (augmentation); missing entries mean no flip. */
  readonly flip?: readonly boolean[];
}

/** The typed arrays of a batch, before they become tensors. */
export interface RawBatch {
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly shape: readonly [number, number, number];
}

/** Reads and stacks samples into flat arrays (NHWC images, NHW int32 labels). */
export function assembleBatch(dataset: SegDataset, indices: readonly number[], opts: BatchOptions = {}): RawBatch {
  const { height: H, width: W } = dataset;
  const B = indices.length;
  if (B === 0) throw new Error(`makeBatch: ${dataset.name}: empty index list`);
  const images = new Float32Array(B * H * W * 3);
  const labels = new Int32Array(B * H * W);
  indices.forEach((idx, b) => {
    const s = dataset.get(idx);
    if (s.height !== H || s.width !== W) {
      throw new Error(`makeBatch: ${dataset.name}: sample ${s.id} is ${s.height}x${s.width}, expected ${H}x${W}`);
    }
    const flip = opts.flip?.[b] === true;
    images.set(flip ? flipHorizontal(s.image, H, W, 3) : s.image, b * H * W * 3);
    labels.set(flip ? flipHorizontal(s.label, H, W, 1) : s.label, b * H * W);
  });
  return { images, labels, shape: [B, H, W] };
}

export interface Batch {
  /** [B, H, W, 3] float32 in [0, 1]. */
  readonly images: tf.Tensor4D;
  /** [B, H, W] int32 trainIds, 255 for void. */
  readonly labels: tf.Tensor3D;
}

/** Builds one batch of tensors; the caller owns (and disposes) them. */
export function makeBatch(dataset: SegDataset, indices: readonly number[], opts: BatchOptions = {}): Batch {
  return toTensors(assembleBatch(dataset, indices, opts));
}

export function toTensors(raw: RawBatch): Batch {
  const [B, H, W] = raw.shape;
  return {
    images: tf.tensor4d(raw.images, [B, H, W, 3], 'float32'),
    labels: tf.tensor3d(raw.labels, [B, H, W], 'int32'),
  };
}
