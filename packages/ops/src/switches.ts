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
 * On backends whose tensors live in this process (cpu, wasm) a plain loop over the values is 3x faster
 * than any composition of tfjs kernels (measured 35 vs 112 ms at [8,32,96,256] on wasm, copies in and
 * out included); elsewhere (webgpu, where synchronous reads fail) the kernel composition runs.
 */
export function maxPoolAndSwitches(x: tf.Tensor4D): { pooled: tf.Tensor4D; switches: tf.Tensor4D } {
  return IN_PROCESS_BACKENDS.has(tf.getBackend()) ? maxPoolAndSwitchesByLoop(x) : maxPoolAndSwitchesByKernels(x);
}

const IN_PROCESS_BACKENDS = new Set(['cpu', 'wasm']);

/** The loop version of maxPoolAndSwitches: one synchronous read of x, one pass, two uploads. */
export function maxPoolAndSwitchesByLoop(x: tf.Tensor4D): { pooled: tf.Tensor4D; switches: tf.Tensor4D } {
  const [n, h, w, c] = x.shape;
  const values = x.dataSync() as Float32Array;
  const pooledShape: [number, number, number, number] = [n, h / 2, w / 2, c];
  const pooled = new Float32Array(n * (h / 2) * (w / 2) * c);
  const switches = new Int32Array(pooled.length);
  let k = 0;
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < h; i += 2) {
      for (let j = 0; j < w; j += 2) {
        const top = ((b * h + i) * w + j) * c;
        const bottom = top + w * c;
        for (let ch = 0; ch < c; ch++) {
          // Strict '>' in row-major window order: the first maximum wins ties. Unrolled: this loop
          // runs once per pooled element (6M times at SegNet-VGG16's first level).
          let at = top + ch;
          let best = values[at];
          let q = top + c + ch;
          if (values[q] > best) {
            best = values[q];
            at = q;
          }
          q = bottom + ch;
          if (values[q] > best) {
            best = values[q];
            at = q;
          }
          q = bottom + c + ch;
          if (values[q] > best) {
            best = values[q];
            at = q;
          }
          pooled[k] = best;
          switches[k++] = at;
        }
      }
    }
  }
  return { pooled: tf.tensor4d(pooled, pooledShape), switches: tf.tensor4d(switches, pooledShape, 'int32') };
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
