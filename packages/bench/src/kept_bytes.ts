import type { UnpoolMode } from '@unpool/models';
import type { Shape4 } from './ops_shapes.js';

export type { UnpoolMode };

export interface KeptBytes {
  /**
   * Bytes the pooling + unpooling pair saves for its backward pass beyond the pooled output and the
   * decoder input (which the neighbouring layers keep anyway).
   */
  bytesKeptForBackward: number;
  /** What that figure counts, tensor by tensor. */
  keptForBackward: string[];
  /**
   * Bytes that must survive from the encoder's pooling to the decoder's unpooling even without
   * training (inference), pooled output included where unpooling reads it again.
   */
  encoderToDecoderBytes: number;
}

/** Explains the two byte figures; goes into the results file's header. */
export const KEPT_BYTES_NOTE =
  'bytesKeptForBackward: tensors the pool+unpool pair saves for backward other than the pooled output ' +
  'and the decoder input (switch: its int32 switches, saved once and shared by both ops; ratio: the ' +
  'float32 prePool x, saved by max pooling\'s own gradient and reused by ratio unpooling; nearest: the ' +
  'same prePool x, which only max pooling\'s gradient needs). encoderToDecoderBytes: what must stay alive ' +
  'from pooling to unpooling even at inference (switch: switches; ratio: prePool and pooled; nearest: ' +
  'nothing). Computed from shapes and dtypes (4 bytes per float32/int32 element).';

/** The KeptBytes of one unpooling mode with its pooling, at pre-pooling shape [N,H,W,C]. */
export function keptBytes(mode: UnpoolMode, prePool: Shape4): KeptBytes {
  const [n, h, w, c] = prePool;
  const full = n * h * w * c * 4;
  const pooled = (n * (h / 2) * (w / 2) * c) * 4;
  const pooledShape = `[${[n, h / 2, w / 2, c].join(',')}]`;
  const fullShape = `[${prePool.join(',')}]`;
  switch (mode) {
    case 'switch':
      return {
        bytesKeptForBackward: pooled,
        keptForBackward: [`switches int32 ${pooledShape}`],
        encoderToDecoderBytes: pooled,
      };
    case 'ratio':
      return {
        bytesKeptForBackward: full,
        keptForBackward: [`prePool float32 ${fullShape}`],
        encoderToDecoderBytes: full + pooled,
      };
    case 'nearest':
      return {
        bytesKeptForBackward: full,
        keptForBackward: [`prePool float32 ${fullShape} (max pooling's gradient)`],
        encoderToDecoderBytes: 0,
      };
  }
}
