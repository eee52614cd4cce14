import type { z } from 'zod';

/** What every benchmark gets from the CLI: the active backend and a progress channel. */
export interface BenchContext {
  /** The tfjs backend actually in use (after selectBackend). */
  backend: string;
  /** One line of progress; the CLI sends it to stderr so stdout stays the result table. */
  progress: (line: string) => void;
}

/** A benchmark's outcome: JSON rows for the results file and a human-readable table for stdout. */
export interface BenchResult {
  rows: unknown[];
  /** Derived figures worth a glance (ratios between rows, ...); written to the JSON too. */
  summary?: unknown;
  /** Aligned plain-text table(s). */
  table: string;
}

/**
 * One entry of the `pnpm bench <name>` registry. `options` validates this benchmark's own flags
 * (`--reps 3` arrives as `{ reps: '3' }`, so schemas coerce); the CLI handles `--out` and `--backend`.
 */
export interface Benchmark<S extends z.ZodObject = z.ZodObject> {
  name: string;
  description: string;
  options: S;
  run(options: z.infer<S>, context: BenchContext): Promise<BenchResult>;
}
