import { segnetConfig, UNPOOL_MODES } from '@unpool/models';
import { profileOrtTrainStep, type OrtStepProfile } from '@unpool/onnx';
import { z } from 'zod';
import { commaList, workersOption } from './args.js';
import type { BenchContext, BenchResult, Benchmark } from './benchmark.js';
import { formatTable } from './table.js';

export const ortProfileOptions = z.object({
  unpool: commaList.pipe(z.array(z.enum(UNPOOL_MODES)).min(1)).default(['switch', 'ratio']),
  /** Thread counts to profile, to see which ops do not scale from 1 to 2 threads. */
  threads: commaList.transform((xs) => xs.map(Number)).pipe(z.array(z.number().int().min(1)).min(1)).default([1, 2]),
  batch: z.coerce.number().int().min(1).default(8),
  steps: z.coerce.number().int().min(1).default(5),
  warmup: z.coerce.number().int().min(0).default(2),
  /** How many op types / nodes to print (the JSON keeps every op type and the top 15 nodes). */
  top: z.coerce.number().int().min(1).default(12),
  workers: workersOption,
});
export type OrtProfileBenchOptions = z.infer<typeof ortProfileOptions>;

export interface OrtProfileRow extends OrtStepProfile {
  unpool: string;
  threads: number;
  batch: number;
  height: number;
  width: number;
}

/** Per op type: time at each thread count and the speed-up from the fewest to the most threads. */
function scalingTable(rows: readonly OrtProfileRow[], top: number): string {
  const threads = [...new Set(rows.map((r) => r.threads))].sort((a, b) => a - b);
  const lo = threads[0];
  const hi = threads[threads.length - 1];
  const parts: string[] = [];
  for (const unpool of [...new Set(rows.map((r) => r.unpool))]) {
    const at = (t: number) => rows.find((r) => r.unpool === unpool && r.threads === t)!;
    const ops = at(hi).byOp.slice(0, top);
    const ms = (t: number, op: string) => at(t).byOp.find((o) => o.op === op)?.ms ?? 0;
    parts.push(
      `${unpool}: run ${threads.map((t) => `${at(t).runMs.toFixed(1)} ms (${t}t)`).join(', ')}; kernels ${threads.map((t) => `${at(t).kernelMs.toFixed(1)}`).join(' / ')} ms`,
      formatTable(
        ['op', 'calls', ...threads.map((t) => `${t}t ms`), `${lo}t/${hi}t`],
        ops.map((o) => [o.op, String(o.calls), ...threads.map((t) => ms(t, o.op).toFixed(2)), (ms(lo, o.op) / Math.max(o.ms, 1e-9)).toFixed(2)]),
      ),
    );
  }
  return parts.join('\n');
}

/** `pnpm bench ort-profile`: ORT's own per-op profile of the SegNet-mini CPU training step, per thread count. */
export const ortProfileBenchmark: Benchmark<typeof ortProfileOptions> = {
  name: 'ort-profile',
  description: "ORT profiler trace of the mini CPU train step summed per op type and node, per thread count",
  options: ortProfileOptions,
  async run(o: OrtProfileBenchOptions, ctx: BenchContext): Promise<BenchResult> {
    const [height, width] = [64, 192];
    const rows: OrtProfileRow[] = [];
    for (const unpool of o.unpool) {
      for (const threads of o.threads) {
        ctx.progress(`  mini/${unpool}: ${o.warmup}+${o.steps} profiled steps on ${threads} thread(s)`);
        const profile = await profileOrtTrainStep(segnetConfig({ preset: 'mini', unpool }), { threads, spinWait: o.workers === 'spin', batch: o.batch, height, width, warmup: o.warmup, steps: o.steps });
        rows.push({ unpool, threads, batch: o.batch, height, width, ...profile });
      }
    }
    return { rows, table: scalingTable(rows, o.top) };
  },
};
