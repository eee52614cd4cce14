import * as tf from '@tensorflow/tfjs';
import { upsample2x } from './upsample_nearest_2x.js';

// Priority of each window position in row-major order, first position highest. All are below 1 so
// that the "is a maximum" indicator (worth 1) always dominates; shape [1,2,1,2,1] broadcasts over x
// viewed as [N*H/2, 2, W/2, 2, C] (a cheap float broadcast on wasm, unlike a select or int32 op).
const PRIORITY = [4 / 8, 3 / 8, 2 / 8, 1 / 8];

/**
 * 2x2 stride-2 max pooling that also returns its switches; no validation, no gradient.
 *
 * Switch format (used throughout this package): an int32 tensor of the pooled shape [N,H/2,W/2,C] whose
 * entry [n,i,j,c] is the flat NHWC index, batch included, `((n*H + h)*W + w)*C + c`, of the maximum of
 * rows 2i..2i+1, columns 2j..2j+1 of channel c. Ties go to the FIRST maximal position in row-major
 * window order (2i,2j), (2i,2j+1), (2i+1,2j), (2i+1,2j+1), like a loop with a strict `>`. It is the
 * layout of `tf.maxPoolWithArgmax(x, 2, 2, 'valid', true).indexes` on the cpu backend (ONNX MaxPool
 * indices are NCHW-flattened instead).
 *
 * On cpu and wasm, `@unpool/runtime`'s selectBackend registers a MaxPoolWithArgmax kernel with exactly
 * these semantics (the stock wasm one is wrong for windows with maximum <= 0 and ties to the last
 * position), so the backend's kernel is called directly: no values are read back to JS. Elsewhere (webgpu)
 * an exact composition of stock kernels runs.
 */
export function maxPoolAndSwitches(x: tf.Tensor4D): { pooled: tf.Tensor4D; switches: tf.Tensor4D } {
  return ARGMAX_KERNEL_BACKENDS.has(tf.getBackend()) ? maxPoolAndSwitchesByArgmaxKernel(x) : maxPoolAndSwitchesByKernels(x);
}

const ARGMAX_KERNEL_BACKENDS = new Set(['cpu', 'wasm']);

/** The backend's MaxPoolWithArgmax kernel, which on wasm must be the runtime's replacement (see above). */
export function maxPoolAndSwitchesByArgmaxKernel(x: tf.Tensor4D): { pooled: tf.Tensor4D; switches: tf.Tensor4D } {
  const { result, indexes } = tf.maxPoolWithArgmax(x, 2, 2, 'valid', true);
  return { pooled: result as tf.Tensor4D, switches: indexes as tf.Tensor4D };
}

/**
 * The kernel-composition version of maxPoolAndSwitches, for backends whose data cannot be read
 * synchronously.
 *
 * Why not `tf.maxPoolWithArgmax(x)` directly: on wasm it starts its running maximum at FLT_MIN, so every
 * window whose maximum is <= 0 (each all-zero window after a ReLU) gets index 0, outside the window;
 * and it breaks ties towards the LAST position where cpu takes the first. Shifting x by a constant is
 * not exact either (x + c rounds nearby values onto ties). So the stock kernel runs on a surrogate that
 * is exact by construction, z = [x == max of its window] + priority(position): its window maximum is
 * unique, positive, and sits at the first maximum of x. A window holding NaN still gets an index inside
 * the window.
 */
export function maxPoolAndSwitchesByKernels(x: tf.Tensor4D): { pooled: tf.Tensor4D; switches: tf.Tensor4D } {
  const [n, h, w, c] = x.shape;
  return tf.tidy(() => {
    const pooled = tf.maxPool(x, 2, 2, 'valid');
    const isMax = tf.cast(tf.equal(x, upsample2x(pooled)), 'float32');
    const z = tf.add(isMax.reshape([(n * h) / 2, 2, w / 2, 2, c]), tf.tensor(PRIORITY, [1, 2, 1, 2, 1]));
    const { indexes } = tf.maxPoolWithArgmax(z.reshape([n, h, w, c]) as tf.Tensor4D, 2, 2, 'valid', true);
    return { pooled, switches: indexes as tf.Tensor4D };
  });
}

/** Puts each value of `values` at the flat position its switch names in a zero tensor of `outShape`. */
export function scatterAtSwitches(
  values: tf.Tensor4D,
  switches: tf.Tensor4D,
  outShape: readonly number[],
): tf.Tensor4D {
  return tf.tidy(() => {
    const size = outShape.reduce((a, b) => a * b, 1);
    const flat = tf.scatterND(switches.reshape([-1, 1]), values.reshape([-1]), [size]);
    return flat.reshape([...outShape]) as tf.Tensor4D;
  });
}

/** Reads `t` at the flat positions the switches name: the adjoint of scatterAtSwitches. */
export function gatherAtSwitches(t: tf.Tensor4D, switches: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.gatherND(t.reshape([-1]), switches.reshape([-1, 1])).reshape(switches.shape) as tf.Tensor4D);
}
