import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

const NAME = 'MaxPoolWithArgmax';

/**
 * MaxPoolWithArgmax with the cpu backend's semantics on every in-process backend: the running maximum
 * starts at -inf and the FIRST maximum in row-major window order wins ties; indices are flat NHWC, with
 * the batch included when `includeBatchInIndex`.
 *
 * Why: the stock wasm kernel starts at FLT_MIN, so every window whose maximum is <= 0 (each all-zero
 * window after a ReLU) gets index 0 and value 1.18e-38, and it breaks ties towards the LAST position. As a
 * kernel it works on the backend's own buffers, so computing SegNet's switches reads nothing back to JS
 * tensors inside a training step.
 */
export function maxPoolWithArgmaxKernel(backendName: 'wasm' | 'cpu'): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { x } = inputs as { x: tf.TensorInfo };
    const { filterSize, strides, pad, includeBatchInIndex } = attrs as unknown as tf.MaxPoolWithArgmaxAttrs;
    if (x.dtype !== 'float32') throw new Error(`${NAME}: only float32 is supported, got ${x.dtype}`);
    const info = tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number], filterSize, strides, [1, 1], pad);
    const outShape = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
    const size = outShape.reduce((a, d) => a * d, 1);
    if (backendName === 'wasm') {
      const b = backend as BackendWasm;
      // Allocate first: growing the wasm memory detaches heap views taken before.
      const out = b.makeOutput(outShape, 'float32');
      const idx = b.makeOutput(outShape, 'int32');
      argmaxPool(b.typedArrayFromHeap(x) as Float32Array, b.typedArrayFromHeap(out) as Float32Array, b.typedArrayFromHeap(idx) as Int32Array, info, includeBatchInIndex);
      return [out, idx];
    }
    const kb = backend as tf.KernelBackend;
    const values = new Float32Array(size);
    const indexes = new Int32Array(size);
    argmaxPool(kb.readSync(x.dataId) as Float32Array, values, indexes, info, includeBatchInIndex);
    return [
      { dataId: kb.write(values, outShape, 'float32'), shape: outShape, dtype: 'float32' },
      { dataId: kb.write(indexes, outShape, 'int32'), shape: outShape, dtype: 'int32' },
    ];
  };
  return { kernelName: NAME, backendName, kernelFunc };
}

function argmaxPool(x: Float32Array, out: Float32Array, idx: Int32Array, info: tf.backend_util.Conv2DInfo, withBatch: boolean): void {
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const { top: padTop, left: padLeft } = info.padInfo;
  let k = 0;
  for (let n = 0; n < batchSize; n++) {
    const batchOffset = withBatch ? 0 : n * H * W * C;
    for (let oh = 0; oh < OH; oh++) {
      const hBegin = Math.max(0, oh * sh - padTop);
      const hEnd = Math.min(H, oh * sh - padTop + fh);
      for (let ow = 0; ow < OW; ow++) {
        const wBegin = Math.max(0, ow * sw - padLeft);
        const wEnd = Math.min(W, ow * sw - padLeft + fw);
        for (let c = 0; c < C; c++) {
          let best = -Infinity;
          let at = -1;
          for (let h = hBegin; h < hEnd; h++) {
            for (let w = wBegin; w < wEnd; w++) {
              const q = ((n * H + h) * W + w) * C + c;
              if (x[q] > best || at < 0) {
                best = x[q];
                at = q;
              }
            }
          }
          out[k] = best;
          idx[k++] = at - batchOffset;
        }
      }
    }
  }
}
