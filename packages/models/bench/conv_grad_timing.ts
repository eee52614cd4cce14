/**
 * Times the convolution-gradient kernels of one SegNet-mini training step (forward + backward, batch 8
 * at 64x192 by default) on: wasm with this package's kernels, cpu with them, and cpu with the stock
 * tfjs weight-gradient kernel (the runtime package's kernels, on the net of test/segnet_mini_net.ts).
 *
 *   node_modules/.bin/tsx --conditions=@unpool/source packages/models/bench/conv_grad_timing.ts \
 *     [--batch 8] [--height 64] [--width 192] [--configs wasm,cpu,cpu-stock]
 *
 * cpu-stock is very slow at batch 8 (minutes): its Conv2DBackpropFilter is a scalar loop.
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { backendInfo, selectBackend } from '@unpool/runtime';
import { inputBatch, segnetMini, SEGNET_MINI, type NetSpec } from '../test/segnet_mini_net.js';

const KERNELS = ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'Conv2D', 'MaxPoolGrad', 'ResizeNearestNeighborGrad'];
const CONFIGS = ['wasm', 'cpu', 'cpu-stock'] as const;
type Config = (typeof CONFIGS)[number];

// Captured before selectBackend('cpu') replaces it.
const stockCpuFilterGrad = tf.getKernel('Conv2DBackpropFilter', 'cpu');

function stepFunction(spec: NetSpec): { run: () => tf.Tensor[]; dispose: () => void } {
  const { stages, params } = segnetMini(spec);
  const { x, labelIds } = inputBatch(spec);
  const weights = params.map((q) => tf.tensor(q.data, q.shape));
  const input = tf.tensor4d(x.data, x.shape as [number, number, number, number]);
  const labels = tf
    .oneHot(tf.tensor1d(labelIds, 'int32'), spec.classes)
    .reshape([spec.batch, spec.height, spec.width, spec.classes]) as tf.Tensor4D;
  const loss = (...ws: tf.Tensor[]) => {
    const p = new Map(params.map((q, i) => [q.name, ws[i]]));
    let h: tf.Tensor = input;
    for (const s of stages) h = s.apply(h as tf.Tensor4D, p, labels);
    return h as tf.Scalar;
  };
  return {
    run: () => {
      const { value, grads } = tf.valueAndGrads(loss)(weights);
      return [value, ...grads];
    },
    dispose: () => tf.dispose([...weights, input, labels]),
  };
}

async function timeConfig(config: Config, spec: NetSpec): Promise<Record<string, number | string>> {
  await selectBackend(config === 'wasm' ? 'wasm' : 'cpu');
  const ours = tf.getKernel('Conv2DBackpropFilter', 'cpu');
  if (config === 'cpu-stock') swapKernel(stockCpuFilterGrad);
  const step = stepFunction(spec);
  try {
    // One unmeasured step on wasm: XNNPACK creates (and packs) its operators on first use.
    if (config === 'wasm') tf.dispose(step.run());
    const t0 = performance.now();
    const profile = await tf.profile(() => step.run());
    const profiledMs = performance.now() - t0;
    tf.dispose(profile.result as tf.Tensor[]);
    // A second, unprofiled step for the plain step time; skipped for cpu-stock, where it takes minutes.
    let stepMs = '-';
    if (config !== 'cpu-stock') {
      const t1 = performance.now();
      tf.dispose(step.run().map((t) => (t.dataSync(), t)));
      stepMs = String(Math.round(performance.now() - t1));
    }
    const byKernel: Record<string, number> = {};
    for (const k of profile.kernels) byKernel[k.name] = (byKernel[k.name] ?? 0) + (k.kernelTimeMs as number);
    const row: Record<string, number | string> = { config, 'step ms': stepMs, 'profiled step ms': Math.round(profiledMs) };
    for (const name of KERNELS) row[name] = Math.round(byKernel[name] ?? 0);
    row['peak MB'] = Math.round(profile.peakBytes / 2 ** 20);
    const top = Object.entries(byKernel).sort((a, b) => b[1] - a[1]).slice(0, 10);
    console.log(`${config}: slowest kernels (ms): ${top.map(([k, ms]) => `${k} ${Math.round(ms)}`).join(', ')}`);
    return row;
  } finally {
    step.dispose();
    if (config === 'cpu-stock') swapKernel(ours);
  }
}

function swapKernel(config: tf.KernelConfig): void {
  tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      batch: { type: 'string', default: String(SEGNET_MINI.batch) },
      height: { type: 'string', default: String(SEGNET_MINI.height) },
      width: { type: 'string', default: String(SEGNET_MINI.width) },
      configs: { type: 'string', default: CONFIGS.join(',') },
    },
  });
  const spec: NetSpec = { ...SEGNET_MINI, batch: Number(values.batch), height: Number(values.height), width: Number(values.width) };
  const configs = values.configs.split(',') as Config[];
  for (const c of configs) {
    if (!CONFIGS.includes(c)) throw new Error(`--configs: unknown config '${c}' (expected ${CONFIGS.join(', ')})`);
  }
  if ([spec.batch, spec.height, spec.width].some((v) => !Number.isInteger(v) || v < 1) || spec.height % 16 || spec.width % 16) {
    throw new Error(`--batch/--height/--width: need positive integers, sizes divisible by 16; got ${JSON.stringify(spec)}`);
  }
  console.log(`SegNet-mini step, batch ${spec.batch} at ${spec.height}x${spec.width}; kernel times in ms (tf.profile)`);
  const rows = [];
  for (const c of configs) {
    rows.push(await timeConfig(c, spec));
    console.table([rows.at(-1)]);
  }
  console.table(rows);
  await selectBackend('wasm');
  console.log(JSON.stringify(backendInfo()));
}

await main();
