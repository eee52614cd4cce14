/**
 * Cross-checks random-weight SegNet-mini variants (switch / ratio / nearest, plain and Bayesian) against
 * onnxruntime-node and prints one JSON line per variant: the agreement and timing numbers of the report's
 * cost table. Usage (from the repo root):
 *   tsx --conditions=@unpool/source packages/onnx/bench/cross_check_variants.ts [cpu|wasm] [images] [HxW]
 */
import * as tf from '@tensorflow/tfjs';
import { createSegNet, paramSpecs, segnetConfig, UNPOOL_MODES } from '@unpool/models';
import { selectBackend } from '@unpool/runtime';
import { crossCheck } from '../src/index.js';

const backend = (process.argv[2] ?? 'wasm') as 'cpu' | 'wasm';
const count = Number(process.argv[3] ?? 4);
const [height, width] = (process.argv[4] ?? '64x192').split('x').map(Number);
await selectBackend(backend);

let seed = 1;
for (const bayesian of [false, true]) {
  for (const unpool of UNPOOL_MODES) {
    for (const foldBatchNorm of bayesian ? [true] : [true, false]) {
      const config = segnetConfig({ preset: 'mini', unpool, bayesian });
      const model = createSegNet(config, seed++);
      // Non-trivial running statistics, as a trained model has; fresh ones would make folding a no-op.
      for (const s of paramSpecs(config)) {
        const n = s.shape[0];
        const v = model.params.get(s.name)!;
        if (s.name.endsWith('.gamma')) v.assign(tf.randomUniform([n], 0.5, 1.5, 'float32', seed++));
        else if (s.name.endsWith('.beta') || s.name.endsWith('.mean')) v.assign(tf.randomUniform([n], -0.3, 0.3, 'float32', seed++));
        else if (s.name.endsWith('.variance')) v.assign(tf.randomUniform([n], 0.3, 2, 'float32', seed++));
      }
      const images = tf.randomUniform([count, height, width, 3], 0, 1, 'float32', seed++) as tf.Tensor4D;
      const check = await crossCheck(model, images, { foldBatchNorm, threads: [1, 2], timingRepeats: 3 });
      console.log(JSON.stringify({ variant: `${unpool}${bayesian ? '-bayesian' : ''}`, ...check }));
      images.dispose();
      model.dispose();
    }
  }
}
