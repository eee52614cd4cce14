import * as tf from '@tensorflow/tfjs';
import { createEngine, ENGINE_NAMES, Optimizer, type EnginePlacement, profileTrainStep, trainLoop, uniformWeights, type BatchSource } from '@unpool/exp';
import { createSegNet, segnetConfig, UNPOOL_MODES, type SegNetPreset, type UnpoolMode } from '@unpool/models';
import { z } from 'zod';
import { commaList, workersOption } from './args.js';
import type { BenchContext, BenchResult, Benchmark } from './benchmark.js';
import { formatTable } from './table.js';
import { median, timeAsyncTensorFn } from './timing.js';

/** Input size per model preset: SegNet-mini at 64x192, SegNet-VGG16 at 128x384 (batch 8 both). */
const SIZES: Record<SegNetPreset, [number, number]> = { mini: [64, 192], vgg16: [128, 384] };

export const trainOptions = z.object({
  model: z.enum(['mini', 'vgg16']).default('mini'),
  unpool: commaList.pipe(z.array(z.enum(UNPOOL_MODES)).min(1)).default(['switch', 'ratio']),
  batch: z.coerce.number().int().min(1).default(8),
  /** What computes the step: tfjs autodiff on the backend, or ONNX Runtime's CPU kernels (auto: see resolveEngine). */
  engine: z.enum(ENGINE_NAMES).default('auto'),
  /** ONNX Runtime intra-op threads (default: every core). */
  threads: z.coerce.number().int().min(1).optional(),
  /** ONNX Runtime execution provider (cpu, webgpu, cuda; the engine validates it). */
  ep: z.string().optional(),
  workers: workersOption,
  reps: z.coerce.number().int().min(1).default(5),
  warmup: z.coerce.number().int().min(0).default(2),
});
export type TrainOptions = z.infer<typeof trainOptions>;

export interface TrainRow {
  model: SegNetPreset;
  unpool: UnpoolMode;
  backend: string;
  engine: string;
  /** Where the onnxruntime engine ran (EP, adapter, nodes per EP, host bytes per step); null for tfjs. */
  placement: EnginePlacement | null;
  /** ORT's CPU workers between parallel sections (`--workers`); null for tfjs. */
  workers: 'spin' | 'sleep' | null;
  batch: number;
  height: number;
  width: number;
  /** Median of forward + backward + Adam update, through the real training loop. */
  trainStepMs: number;
  /** Median inference pass to class probabilities (running BN statistics, no dropout). */
  forwardMs: number;
  /** Peak bytes tfjs allocated during one training step (tfjs engine only: ONNX Runtime's memory is its own). */
  peakBytes: number | null;
  trainSamplesMs: number[];
  forwardSamplesMs: number[];
  /**
   * Kernels of one profiled tfjs forward + backward pass (no optimizer): launches, and time per kernel
   * name (tfjs engine only).
   */
  profile: KernelProfile | null;
}

export interface KernelProfile {
  launches: number;
  /**
   * The most expensive kernel names, by total kernel time, when the backend reports kernel times (webgpu
   * with the timestamp-query feature, wasm, cpu); empty when it reports none.
   */
  topKernels: { name: string; ms: number; calls: number }[];
}

/** Sums tf.profile's per-launch kernel times by kernel name (times that are errors or zero count as none). */
export function summarizeKernels(kernels: readonly { name: string; kernelTimeMs: unknown }[], top = 10): KernelProfile {
  const byName = new Map<string, { ms: number; calls: number }>();
  for (const k of kernels) {
    const e = byName.get(k.name) ?? { ms: 0, calls: 0 };
    e.calls += 1;
    if (typeof k.kernelTimeMs === 'number' && Number.isFinite(k.kernelTimeMs)) e.ms += k.kernelTimeMs;
    byName.set(k.name, e);
  }
  const timed = [...byName].filter(([, e]) => e.ms > 0).sort((a, b) => b[1].ms - a[1].ms);
  return { launches: kernels.length, topKernels: timed.slice(0, top).map(([name, e]) => ({ name, ms: e.ms, calls: e.calls })) };
}

async function benchOne(o: TrainOptions, unpool: UnpoolMode, ctx: BenchContext): Promise<TrainRow> {
  const [height, width] = SIZES[o.model];
  const config = segnetConfig({ preset: o.model, unpool });
  const model = createSegNet(config, 0);
  const images = tf.randomUniform([o.batch, height, width, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const labels = tf.randomUniform([o.batch, height, width], 0, 20, 'int32', 2) as tf.Tensor3D;
  // The loop disposes each batch it is given, so hand it clones of one fixed batch.
  const source: BatchSource = { batch: () => ({ images: images.clone(), labels: labels.clone() }) };
  const optimizer = new Optimizer({ name: 'adam', lr: 1e-3 });
  const samples: number[] = [];
  const engine = createEngine(o.engine, config, { threads: o.threads, ep: o.ep, spinWait: o.workers === 'spin' });
  try {
    ctx.progress(`  ${o.model}/${unpool}: training steps (${engine.name})`);
    await trainLoop(
      model,
      optimizer,
      source,
      { steps: o.warmup + o.reps, schedule: 'constant', classWeights: uniformWeights(20, true), seed: 0, logEvery: 1, evalEvery: 1e9, checkpointEvery: 1e9 },
      0,
      engine,
      { onLog: (e) => void (e.step > o.warmup && samples.push(e.secondsPerStep * 1000)) },
    );
    ctx.progress(`  ${o.model}/${unpool}: forward`);
    const predictor = await engine.predictor(model);
    const forward = await timeAsyncTensorFn(() => predictor.probs(images, { mcSamples: 1 }), { warmup: 1, reps: o.reps });
    await predictor.release();
    const profile = engine.name === 'tfjs' ? await profileTrainStep(model, { images, labels }, uniformWeights(20, true)) : null;
    return {
      model: o.model,
      unpool,
      backend: ctx.backend,
      engine: engine.name,
      placement: engine.placement?.() ?? null,
      workers: engine.name === 'onnxruntime' ? o.workers : null,
      batch: o.batch,
      height,
      width,
      trainStepMs: median(samples),
      forwardMs: forward.medianMs,
      peakBytes: profile ? profile.peakBytes : null,
      trainSamplesMs: samples,
      forwardSamplesMs: forward.samplesMs,
      profile: profile ? summarizeKernels(profile.kernels) : null,
    };
  } finally {
    tf.dispose([images, labels]);
    optimizer.dispose();
    model.dispose();
    await engine.dispose();
  }
}

/** `pnpm bench train`: SegNet training-step and forward time per unpool mode on the selected backend. */
export const trainBenchmark: Benchmark<typeof trainOptions> = {
  name: 'train',
  description: 'SegNet train step (fwd+bwd+Adam) and forward ms per unpool mode; --model mini|vgg16 --unpool switch,ratio',
  options: trainOptions,
  async run(o: TrainOptions, ctx: BenchContext): Promise<BenchResult> {
    const rows: TrainRow[] = [];
    for (const unpool of o.unpool) rows.push(await benchOne(o, unpool, ctx));
    const base = rows.find((r) => r.unpool === 'switch');
    const summary = base
      ? rows.filter((r) => r !== base).map((r) => ({ unpool: r.unpool, trainVsSwitch: r.trainStepMs / base.trainStepMs, forwardVsSwitch: r.forwardMs / base.forwardMs }))
      : [];
    const table = formatTable(
      ['model', 'unpool', 'backend', 'engine', 'EP', 'host KiB/step', 'batch', 'input', 'train step ms', 'forward ms', 'peak MiB'],
      rows.map((r) => [
        r.model,
        r.unpool,
        r.backend,
        r.engine,
        r.placement?.executionProvider ?? '-',
        r.placement?.hostBytesPerStep == null ? '-' : (r.placement.hostBytesPerStep / 1024).toFixed(0),
        String(r.batch),
        `${r.height}x${r.width}`,
        r.trainStepMs.toFixed(1),
        r.forwardMs.toFixed(1),
        r.peakBytes === null ? '-' : (r.peakBytes / 2 ** 20).toFixed(1),
      ]),
    );
    return { rows, summary, table };
  },
};
