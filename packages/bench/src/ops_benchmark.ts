import * as tf from '@tensorflow/tfjs';
import { maxPool2x2, maxPoolWithSwitches, nearestUnpool, ratioUnpool, switchUnpool } from '@unpool/ops';
import { z } from 'zod';
import type { BenchContext, BenchResult, Benchmark } from './benchmark.js';
import { keptBytes, KEPT_BYTES_NOTE, type KeptBytes, type UnpoolMode } from './kept_bytes.js';
import { OPS_SHAPES, OPS_SHAPE_SETS, type OpsShapeSet, type Shape4 } from './ops_shapes.js';
import { formatTable } from './table.js';
import { timeTensorFn, type TimingOptions } from './timing.js';

export const opsOptions = z.object({
  reps: z.coerce.number().int().min(1).default(5),
  warmup: z.coerce.number().int().min(0).default(2),
  only: z.enum(OPS_SHAPE_SETS as [OpsShapeSet, ...OpsShapeSet[]]).optional(),
});
export type OpsOptions = z.infer<typeof opsOptions>;

export interface OpsRow extends KeptBytes {
  op: UnpoolMode;
  set: OpsShapeSet;
  /** Pre-pooling (encoder) shape [N,H,W,C]; pooled and decoder tensors are [N,H/2,W/2,C]. */
  shape: Shape4;
  backend: string;
  /** Medians. */
  fwdMs: number;
  fwdBwdMs: number;
  /** Minima: on a machine shared with other work they are the steadier figure. */
  fwdMinMs: number;
  fwdBwdMinMs: number;
  fwdSamplesMs: number[];
  fwdBwdSamplesMs: number[];
}

/**
 * Each unpooling with its pooling, from the encoder tensor x to the unpooled output. The decoder input
 * is the pooled tensor times a fixed pooled-size tensor `s` (a stand-in for the decoder), so that, as in
 * the network, the backward pass from the output reaches the pooling through the decoder path and, for
 * ratio unpooling, through its direct use of x and p as well. The multiply costs the same in all three.
 */
const PAIRS: Record<UnpoolMode, (x: tf.Tensor4D, s: tf.Tensor4D) => tf.Tensor4D> = {
  switch: (x, s) => {
    const { pooled, switches } = maxPoolWithSwitches(x);
    return switchUnpool(tf.mul(pooled, s), switches, x.shape);
  },
  ratio: (x, s) => {
    const pooled = maxPool2x2(x);
    return ratioUnpool(tf.mul(pooled, s), x, pooled);
  },
  nearest: (x, s) => nearestUnpool(tf.mul(maxPool2x2(x), s)),
};
const MODES = Object.keys(PAIRS) as UnpoolMode[];

const fmtShape = (s: readonly number[]) => `[${s.join(',')}]`;
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

async function timePair(mode: UnpoolMode, shape: Shape4, timing: TimingOptions, progress: (l: string) => void) {
  const [n, h, w, c] = shape;
  // ReLU'd normals: half the values are 0, so about 1 window in 16 is all zero, as after a real ReLU.
  const x = tf.tidy(() => tf.relu(tf.randomNormal(shape, 0, 1, 'float32', 1))) as tf.Tensor4D;
  const s = tf.randomNormal([n, h / 2, w / 2, c], 0, 1, 'float32', 2) as tf.Tensor4D;
  const dy = tf.randomNormal(shape, 0, 1, 'float32', 3) as tf.Tensor4D;
  try {
    const pair = PAIRS[mode];
    progress(`  ${mode} forward`);
    const fwd = await timeTensorFn(() => pair(x, s), timing);
    progress(`  ${mode} forward+backward`);
    const fwdBwd = await timeTensorFn(() => tf.grad((xx: tf.Tensor) => pair(xx as tf.Tensor4D, s))(x, dy), timing);
    return { fwd, fwdBwd };
  } finally {
    tf.dispose([x, s, dy]);
  }
}

interface TimeRatios {
  /** Of the medians. */
  fwd: number;
  fwdBwd: number;
  /** Of the minima. */
  fwdMin: number;
  fwdBwdMin: number;
}

export interface OpsSummaryRow {
  shape: Shape4;
  ratioOverSwitch: TimeRatios;
  nearestOverSwitch: TimeRatios;
}

const ratios = (a: OpsRow, b: OpsRow): TimeRatios => ({
  fwd: a.fwdMs / b.fwdMs,
  fwdBwd: a.fwdBwdMs / b.fwdBwdMs,
  fwdMin: a.fwdMinMs / b.fwdMinMs,
  fwdBwdMin: a.fwdBwdMinMs / b.fwdBwdMinMs,
});

/** Time ratios per shape (ratio / switch and nearest / switch, forward and forward+backward). */
export function summarizeOps(rows: readonly OpsRow[]): OpsSummaryRow[] {
  const key = (r: OpsRow) => fmtShape(r.shape);
  const shapes = [...new Set(rows.map(key))];
  return shapes.flatMap((k) => {
    const at = (mode: UnpoolMode) => rows.find((r) => key(r) === k && r.op === mode);
    const sw = at('switch');
    const ra = at('ratio');
    const ne = at('nearest');
    if (!sw || !ra || !ne) return [];
    return [
      { shape: sw.shape, ratioOverSwitch: ratios(ra, sw), nearestOverSwitch: ratios(ne, sw) },
    ];
  });
}

export function formatOpsTables(rows: readonly OpsRow[], summary: readonly OpsSummaryRow[]): string {
  const main = formatTable(
    ['set', 'prePool shape', 'op', 'fwd ms', '(min)', 'fwd+bwd ms', '(min)', 'kept bwd MiB', 'enc->dec MiB'],
    rows.map((r) => [
      r.set,
      fmtShape(r.shape),
      r.op,
      r.fwdMs.toFixed(1),
      r.fwdMinMs.toFixed(1),
      r.fwdBwdMs.toFixed(1),
      r.fwdBwdMinMs.toFixed(1),
      mib(r.bytesKeptForBackward),
      mib(r.encoderToDecoderBytes),
    ]),
  );
  const x = (v: number) => `${v.toFixed(2)}x`;
  const table = formatTable(
    ['prePool shape', 'ratio/switch fwd', '(min)', 'ratio/switch fwd+bwd', '(min)', 'nearest/switch fwd', '(min)', 'nearest/switch fwd+bwd', '(min)'],
    summary.map((s) => [
      fmtShape(s.shape),
      x(s.ratioOverSwitch.fwd),
      x(s.ratioOverSwitch.fwdMin),
      x(s.ratioOverSwitch.fwdBwd),
      x(s.ratioOverSwitch.fwdBwdMin),
      x(s.nearestOverSwitch.fwd),
      x(s.nearestOverSwitch.fwdMin),
      x(s.nearestOverSwitch.fwdBwd),
      x(s.nearestOverSwitch.fwdBwdMin),
    ]),
  );
  return `${main}\n\n${table}\n(medians; "(min)": the same from the fastest run)`;
}

/** Times every (shape, mode) pair; `shapes` overrides the standard sets (tests use tiny ones). */
export async function runOps(
  options: OpsOptions,
  context: BenchContext,
  shapes: Partial<Record<OpsShapeSet, readonly Shape4[]>> = OPS_SHAPES,
): Promise<OpsRow[]> {
  const sets = OPS_SHAPE_SETS.filter((set) => (options.only === undefined || options.only === set) && shapes[set]);
  // One untimed pass of every pair at a small shape first, so that whichever pair is timed first does
  // not also pay for V8 compiling the JS loops and the backend setting up its kernels.
  for (const mode of MODES) await timePair(mode, [2, 8, 8, 4], { warmup: 1, reps: 1 }, () => {});
  const rows: OpsRow[] = [];
  const total = sets.reduce((t, set) => t + shapes[set]!.length * MODES.length, 0);
  for (const set of sets) {
    for (const shape of shapes[set]!) {
      for (const mode of MODES) {
        context.progress(`[ops ${rows.length + 1}/${total}] ${set} ${fmtShape(shape)} ${mode} on ${context.backend}`);
        const { fwd, fwdBwd } = await timePair(mode, shape, options, context.progress);
        rows.push({
          op: mode,
          set,
          shape: [...shape],
          backend: context.backend,
          fwdMs: fwd.medianMs,
          fwdBwdMs: fwdBwd.medianMs,
          fwdMinMs: Math.min(...fwd.samplesMs),
          fwdBwdMinMs: Math.min(...fwdBwd.samplesMs),
          ...keptBytes(mode, shape),
          fwdSamplesMs: fwd.samplesMs,
          fwdBwdSamplesMs: fwdBwd.samplesMs,
        });
      }
    }
  }
  return rows;
}

export const opsBenchmark: Benchmark<typeof opsOptions> = {
  name: 'ops',
  description:
    'forward and forward+backward of switch, ratio and nearest unpooling with their pooling at SegNet-VGG16 ' +
    '(128x384) and SegNet-mini (64x192) feature shapes, batch 8 [--reps N] [--warmup N] [--only mini|vgg16]',
  options: opsOptions,
  async run(options, context): Promise<BenchResult> {
    const rows = await runOps(options, context);
    const summary = summarizeOps(rows);
    return {
      rows,
      summary: {
        timing:
          `fwdMs/fwdBwdMs: median of ${options.reps} runs after ${options.warmup} warm-up (min also given), each ` +
          'synced by reading one output element; forward+backward is the gradient w.r.t. the encoder tensor',
        bytes: KEPT_BYTES_NOTE,
        ratios: summary,
      },
      table: formatOpsTables(rows, summary),
    };
  },
};
