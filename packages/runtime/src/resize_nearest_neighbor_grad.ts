import * as tf from '@tensorflow/tfjs';
import { withFloat32Buffers } from './float32_buffers.js';

const NAME = 'ResizeNearestNeighborGrad';

/**
 * ResizeNearestNeighborGrad as the exact adjoint of tfjs's forward nearest resize: each dy pixel is added
 * to the input pixel the forward pass copied it from, with the forward's own source-index rule
 * (alignCorners, halfPixelCenters).
 *
 * Why: in tfjs 4.22 the stock cpu kernel indexes dy with the input's batch stride (wrong values, even
 * NaN, for batch > 1), and both the cpu and wasm kernels ignore halfPixelCenters.
 */
export function resizeNearestNeighborGradKernel(backendName: string): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { images, dy } = inputs as { images: tf.TensorInfo; dy: tf.TensorInfo };
    const { alignCorners = false, halfPixelCenters = false } = (attrs ?? {}) as {
      alignCorners?: boolean;
      halfPixelCenters?: boolean;
    };
    const [batch, inH, inW, channels] = images.shape;
    const [dyBatch, outH, outW, dyChannels] = dy.shape;
    if (images.shape.length !== 4 || dy.shape.length !== 4 || dyBatch !== batch || dyChannels !== channels) {
      throw new Error(`${NAME}: dy [${dy.shape}] does not match images [${images.shape}]`);
    }
    const rows = sourceIndices(inH, outH, alignCorners, halfPixelCenters);
    const cols = sourceIndices(inW, outW, alignCorners, halfPixelCenters);
    return withFloat32Buffers(NAME, backendName, backend as tf.KernelBackend, [dy], images.shape, ([g], dx) => {
      let i = 0;
      for (let n = 0; n < batch; n++) {
        for (let r = 0; r < outH; r++) {
          const rowBase = (n * inH + rows[r]) * inW;
          for (let c = 0; c < outW; c++) {
            const base = (rowBase + cols[c]) * channels;
            for (let d = 0; d < channels; d++) dx[base + d] += g[i++];
          }
        }
      }
    });
  };
  return { kernelName: NAME, backendName, kernelFunc };
}

/** The input index each output index copies from, as tfjs's ResizeNearestNeighbor computes it. */
function sourceIndices(inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean): Int32Array {
  const aligned = alignCorners && outSize > 1;
  const ratio = (aligned ? inSize - 1 : inSize) / (aligned ? outSize - 1 : outSize);
  const idx = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const frac = halfPixelCenters ? ratio * (o + 0.5) : ratio * o;
    const nearest = Math.min(inSize - 1, alignCorners ? Math.round(frac) : Math.floor(frac));
    idx[o] = halfPixelCenters ? Math.max(0, nearest) : nearest;
  }
  return idx;
}
