/**
 * WebGPU probe for a GPU machine, bundled into `dist-gpu/cli.mjs` by `exp bundle`:
 *   node dist-gpu/cli.mjs probe [--shapes vgg16|small] [--reps 3] [--out probe.json]
 *
 * 1. which adapter Dawn gave (vendor, device, Vulkan or the llvmpipe fallback) and its limits;
 * 2. the split-K Conv2DBackpropFilter against tfjs-webgpu's stock kernel on the same adapter, per layer
 *    shape of SegNet-VGG16 at batch 8, 128x384 (`small`: tiny shapes for llvmpipe): relative error and
 *    time per call (several calls queued back to back, one read at the end, so the time is GPU work
 *    rather than read-back latency).
 * Results go to stdout as a table and to --out as JSON, written after every shape so a timeout keeps
 * what was measured.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { selectBackend, webgpuConv2dBackpropFilterKernel, webgpuDetails, WEBGPU_KERNELS_ENV } from '@unpool/runtime';

type Layer = { name: string; x: [number, number, number, number]; cout: number; k: number };

const VGG16: Layer[] = [
  { name: 'enc1 3->64', x: [8, 128, 384, 3], cout: 64, k: 3 },
  { name: 'enc1 64->64', x: [8, 128, 384, 64], cout: 64, k: 3 },
  { name: 'enc2 128->128', x: [8, 64, 192, 128], cout: 128, k: 3 },
  { name: 'enc3 256->256', x: [8, 32, 96, 256], cout: 256, k: 3 },
  { name: 'enc4 512->512', x: [8, 16, 48, 512], cout: 512, k: 3 },
  { name: 'enc5 512->512', x: [8, 8, 24, 512], cout: 512, k: 3 },
  { name: 'classifier 64->20 1x1', x: [8, 128, 384, 64], cout: 20, k: 1 },
];

const SMALL: Layer[] = [
  { name: 'a 3->16', x: [2, 32, 48, 3], cout: 16, k: 3 },
  { name: 'b 16->16', x: [2, 32, 48, 16], cout: 16, k: 3 },
  { name: 'c 32->32', x: [2, 16, 24, 32], cout: 32, k: 3 },
  { name: 'd 64->64', x: [2, 8, 12, 64], cout: 64, k: 3 },
];

interface Row {
  layer: string;
  x: number[];
  filter: number[];
  stockMs: number;
  fastMs: number;
  speedup: number;
  /** max |fast - stock| / max |stock| */
  relativeError: number;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { shapes: { type: 'string', default: 'vgg16' }, reps: { type: 'string', default: '3' }, out: { type: 'string' } },
    strict: true,
  });
  const layers = values.shapes === 'vgg16' ? VGG16 : values.shapes === 'small' ? SMALL : undefined;
  if (layers === undefined) throw new Error(`probe: --shapes must be vgg16 or small, got '${values.shapes}'`);
  const reps = Number(values.reps);
  if (!Number.isInteger(reps) || reps < 1) throw new Error(`probe: --reps must be a positive integer, got '${values.reps}'`);

  // Keep the stock kernel registered at start-up so both can be swapped in below.
  process.env[WEBGPU_KERNELS_ENV] = 'stock';
  await selectBackend('webgpu');
  const stock = tf.getKernel('Conv2DBackpropFilter', 'webgpu');
  if (stock === undefined) throw new Error('probe: tfjs-webgpu has no Conv2DBackpropFilter kernel');
  const fast = webgpuConv2dBackpropFilterKernel();

  const device = (tf.backend() as unknown as { device: { limits: Record<string, number> } }).device;
  const limits = Object.fromEntries(
    ['maxComputeWorkgroupStorageSize', 'maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupsPerDimension', 'maxStorageBufferBindingSize', 'maxBufferSize'].map(
      (k) => [k, device.limits[k]],
    ),
  );
  const report = { date: new Date().toISOString(), node: process.version, webgpu: { ...webgpuDetails(), kernels: 'both (A/B)' }, limits, reps, rows: [] as Row[] };
  process.stdout.write(`adapter: ${JSON.stringify(report.webgpu)}\nlimits: ${JSON.stringify(limits)}\n`);
  const save = () => {
    if (values.out !== undefined) writeJsonAtomic(values.out, report);
  };
  save();

  process.stdout.write(`${'layer'.padEnd(24)} ${'stock ms'.padStart(10)} ${'split-K ms'.padStart(10)} ${'speedup'.padStart(8)} ${'rel err'.padStart(9)}\n`);
  for (const layer of layers) {
    const filterShape = [layer.k, layer.k, layer.x[3], layer.cout];
    const [x, dy] = tf.tidy(() => [tf.randomUniform(layer.x, -1, 1, 'float32', 1), tf.randomUniform([...layer.x.slice(0, 3), layer.cout], -1, 1, 'float32', 2)]);
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape };
    const a = await timeKernel(stock, x, dy, attrs, reps);
    const b = await timeKernel(fast, x, dy, attrs, reps);
    tf.dispose([x, dy]);
    const row: Row = {
      layer: layer.name,
      x: layer.x,
      filter: filterShape,
      stockMs: a.ms,
      fastMs: b.ms,
      speedup: a.ms / b.ms,
      relativeError: relativeError(b.values, a.values),
    };
    report.rows.push(row);
    save();
    process.stdout.write(
      `${row.layer.padEnd(24)} ${row.stockMs.toFixed(2).padStart(10)} ${row.fastMs.toFixed(2).padStart(10)} ${row.speedup.toFixed(1).padStart(7)}x ${row.relativeError.toExponential(1).padStart(9)}\n`,
    );
  }
  const worst = Math.max(...report.rows.map((r) => r.relativeError));
  process.stdout.write(`worst relative error ${worst.toExponential(2)} (${worst < 1e-4 ? 'ok' : 'TOO LARGE'})\n`);
  return worst < 1e-4 ? 0 : 1;
}

/** Installs `config`, runs one warm-up call (compiles the shader), then times `reps` calls queued together. */
async function timeKernel(config: tf.KernelConfig, x: tf.Tensor, dy: tf.Tensor, attrs: object, reps: number) {
  if (tf.getKernel(config.kernelName, config.backendName) !== undefined) tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
  const run = () => tf.engine().runKernel(config.kernelName, { x, dy }, attrs as tf.NamedAttrMap) as tf.Tensor;
  const warm = run();
  const values = (await warm.data()) as Float32Array;
  warm.dispose();
  const start = performance.now();
  let last: tf.Tensor | undefined;
  for (let i = 0; i < reps; i++) {
    last?.dispose();
    last = run();
  }
  const probe = tf.tidy(() => tf.slice(last!.reshape([-1]), 0, 1));
  await probe.data();
  const ms = (performance.now() - start) / reps;
  tf.dispose([probe, last!]);
  return { ms, values };
}

function relativeError(actual: Float32Array, reference: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < reference.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - reference[i]));
    scale = Math.max(scale, Math.abs(reference[i]));
  }
  return Number.isFinite(diff) ? diff / (scale || 1) : Infinity;
}

function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`probe: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
