/**
 * The runner's host work per training step of the `cpu` preset with the onnxruntime engine, outside
 * ORT's run: synthesising the batch (synth-city, 2000 images, batch 8 at 64x192, seeded flips), reading it
 * into typed arrays, and the Bayesian variants' dropout masks (tfjs, as masksFor draws them). Medians over
 * `steps` after 5 warm-up steps, as JSON on stdout; compare with `pnpm bench train`'s step:
 *   tsx --conditions=@unpool/source packages/bench/scripts/host_step_time.ts [steps]
 */
import * as tf from '@tensorflow/tfjs';
import { masksFor } from '@unpool/engine-onnxruntime';
import { openData, trainBatches } from '@unpool/exp';
import { segnetConfig } from '@unpool/models';
import { buildSegnetTrainGraph } from '@unpool/onnx';
import { selectBackend } from '@unpool/runtime';

const [stepsArg = '30'] = process.argv.slice(2);
const steps = Number(stepsArg);
await selectBackend('wasm');
const source = trainBatches(openData({ kind: 'synth', style: 'city', split: 'train' }, 2000, 64, 192), 8, 0, true);
const masks = buildSegnetTrainGraph(segnetConfig({ preset: 'mini', unpool: 'switch', bayesian: true })).masks;
const batchMs: number[] = [];
const maskMs: number[] = [];
for (let step = 0; step < steps + 5; step++) {
  const t0 = performance.now();
  const batch = source.batch(step);
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
