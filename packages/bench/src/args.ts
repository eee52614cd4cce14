import { z } from 'zod';

export const BACKENDS = ['wasm', 'cpu', 'webgpu'] as const;

/** Flags every benchmark run takes; the rest belong to the benchmarks. */
export const commonOptions = z.object({
  out: z.string().min(1, 'needs a file path'),
  backend: z.enum(BACKENDS).default('wasm'),
});
export type CommonOptions = z.infer<typeof commonOptions>;

/** A `--flag a,b,c` value as its trimmed items. */
export const commaList = z.string().transform((s) => s.split(',').map((m) => m.trim()));

/** `--workers`: ORT's CPU workers between parallel sections spin, as `exp run`'s sessions do, or sleep, as sessions on shared cores do. */
export const workersOption = z.enum(['spin', 'sleep']).default('spin');

export interface ParsedArgs {
  /** The benchmark name or `all`. */
  what: string;
  flags: Record<string, string>;
}

/**
 * Splits `<what> --key value --key=value ...` into the command and its flags. Pure syntax: values are
 * validated by the zod schemas of the CLI and of each benchmark.
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const [what, ...rest] = argv;
  if (what === undefined || what.startsWith('--')) {
    throw new Error('bench: the first argument must name a benchmark (or `all`)');
  }
  const flags: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith('--') || arg === '--') throw new Error(`bench: unexpected argument '${arg}'`);
    const eq = arg.indexOf('=');
    const key = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const value = eq >= 0 ? arg.slice(eq + 1) : rest[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new Error(`bench: flag '--${key}' needs a value`);
    if (key in flags) throw new Error(`bench: flag '--${key}' given twice`);
    flags[key] = value;
  }
  return { what, flags };
}

/** zod's issues as one line per bad flag, e.g. `--reps: Too small: expected number to be >=1`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `--${i.path.join('.') || '?'}: ${i.message}`).join('; ');
}
