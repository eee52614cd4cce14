import * as tf from '@tensorflow/tfjs';
import { withFloat32Buffers } from './float32_buffers.js';

const NAME = 'MaxPoolGrad';

/**
 * MaxPoolGrad that routes each dy value to the first maximum (row-major within the window, padding
 * excluded) of its pooling window, summing where windows overlap: the cpu backend's semantics.
 *
 * Why: the stock wasm kernel starts its running maximum at FLT_MIN instead of -inf, so a window whose
 * maximum is <= 0 (every all-zero window after a ReLU) sends its gradient to the wrong place or drops it.
 */
export function maxPoolGradKernel(backendName: string): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      filterSize,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const outShape = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
    if (dy.shape.some((d, i) => d !== outShape[i])) {
      throw new Error(`${NAME}: dy has shape [${dy.shape}], expected [${outShape}] for input [${input.shape}]`);
    }
    return withFloat32Buffers(NAME, backendName, backend as tf.KernelBackend, [input, dy], input.shape, ([x, g], dx) =>
      scatterMaxPoolGrad(x, g, dx, info),
    );
  };
  return { kernelName: NAME, backendName, kernelFunc };
}

function scatterMaxPoolGrad(x: Float32Array, dy: Float32Array, dx: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const { top: padTop, left: padLeft } = info.padInfo;
  const best = new Float32Array(C);
  const bestAt = new Int32Array(C);
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const h0 = oh * sh - padTop;
      const hBegin = Math.max(0, h0);
      const hEnd = Math.min(H, h0 + fh);
      for (let ow = 0; ow < OW; ow++) {
        const w0 = ow * sw - padLeft;
        const wBegin = Math.max(0, w0);
        const wEnd = Math.min(W, w0 + fw);
        best.fill(-Infinity);
        bestAt.fill(-1);
        for (let h = hBegin; h < hEnd; h++) {
          for (let w = wBegin; w < wEnd; w++) {
            const base = ((n * H + h) * W + w) * C;
            for (let c = 0; c < C; c++) {
              const v = x[base + c];
              if (v > best[c]) {
                best[c] = v;
                bestAt[c] = base + c;
              }
            }
          }
        }
        const dyBase = ((n * OH + oh) * OW + ow) * C;
        for (let c = 0; c < C; c++) {
          if (bestAt[c] >= 0) dx[bestAt[c]] += dy[dyBase + c];
        }
      }
    }
  }
}
