/**
 * The runner's host work per training step of the `cpu` preset with the onnxruntime engine, outside
 * ORT's run: synthesising the batch (synth-city, 2000 images, batch 8 at 64x192, seeded flips), reading it
 * into typed arrays, and the Bayesian variants' dropout masks (tfjs, as masksFor draws them). Medians over
 * `steps` after 5 warm-up steps, as JSON on stdout; compare with `pnpm bench train`'s step:
 *   tsx --conditions=@unpool/source packages/bench/scripts/host_step_time.ts [steps]
 */
import * as tf from '@tensorflow/tfjs';
import { batchIndices, flipFor, makeBatch } from '@unpool/datasets';
import { masksFor } from '@unpool/engine-onnxruntime';
import { openData } from '@unpool/exp';
import { segnetConfig } from '@unpool/models';
import { buildSegnetTrainGraph } from '@unpool/onnx';
import { selectBackend } from '@unpool/runtime';

const [stepsArg = '30'] = process.argv.slice(2);
const steps = Number(stepsArg);
await selectBackend('wasm');
const dataset = openData({ kind: 'synth', style: 'city', split: 'train' }, 2000, 64, 192);
const masks = buildSegnetTrainGraph(segnetConfig({ preset: 'mini', unpool: 'switch', bayesian: true })).masks;
const batchMs: number[] = [];
const maskMs: number[] = [];
for (let step = 0; step < steps + 5; step++) {
  const t0 = performance.now();
  // As trainBatches (packages/exp) draws them: seeded epoch permutation, seeded flips.
  const indices = batchIndices({ size: dataset.size, batchSize: 8, seed: 0, step });
  const batch = makeBatch(dataset, indices, { flip: indices.map((_, slot) => flipFor({ seed: 0, step, slot })) });
  batch.images.dataSync();
  batch.labels.dataSync();
  const t1 = performance.now();
  masksFor(masks, 8, 64, 192, step);
  const t2 = performance.now();
  tf.dispose([batch.images, batch.labels]);
  if (step >= 5) {
    batchMs.push(t1 - t0);
    maskMs.push(t2 - t1);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log(JSON.stringify({ steps, batchMs: median(batchMs), bayesianMasksMs: median(maskMs), maskSites: masks.length }));
