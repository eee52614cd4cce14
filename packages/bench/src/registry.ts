import type { Benchmark } from './benchmark.js';

/** A registry entry: a one-line summary for `--help`, and the benchmark itself, imported on demand. */
export interface BenchmarkEntry {
  summary: string;
  load: () => Promise<Benchmark>;
}

/**
 * Every `pnpm bench <name>`; `all` runs them in this order. A new benchmark is one entry here.
 * Entries load lazily so that a run imports only what it runs: `pnpm bench ops` must not depend on the
 * model and training packages (nor pay for loading them).
 */
export const BENCHMARKS: Readonly<Record<string, BenchmarkEntry>> = {
  ops: {
    summary: 'switch / ratio / nearest unpooling with their pooling, forward and forward+backward, SegNet feature shapes',
    load: async () => (await import('./ops_benchmark.js')).opsBenchmark as unknown as Benchmark,
  },
  train: {
    summary: 'SegNet train step (forward+backward+Adam) and forward per unpool mode',
    load: async () => (await import('./train_benchmark.js')).trainBenchmark as unknown as Benchmark,
  },
  'ort-profile': {
    summary: "ONNX Runtime's profile of the SegNet-mini CPU train step, per op type and node, at each thread count",
    load: async () => (await import('./ort_profile_benchmark.js')).ortProfileBenchmark as unknown as Benchmark,
  },
};
