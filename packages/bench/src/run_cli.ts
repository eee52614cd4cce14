import { selectBackend } from '@unpool/runtime';
import { commonOptions, describeIssues, parseArgs } from './args.js';
import { collectMeta } from './meta.js';
import type { BenchmarkEntry } from './registry.js';
import { writeJsonAtomic } from '@unpool/models';

export interface CliIo {
  /** Result tables. */
  out: (text: string) => void;
  /** Progress and errors. */
  err: (text: string) => void;
}

export function usage(registry: Readonly<Record<string, BenchmarkEntry>>): string {
  const lines = Object.entries(registry).map(([name, entry]) => `  ${name.padEnd(6)} ${entry.summary}`);
  return [
    'usage: pnpm bench <benchmark|all> --out <file.json> [--backend wasm|cpu|webgpu] [benchmark flags]',
    ...lines,
    `  ${'all'.padEnd(6)} every benchmark above, into one file`,
  ].join('\n');
}

/**
 * `pnpm bench <name|all> --out <file.json> [--backend wasm|cpu|webgpu] [flags]`: validates every flag before
 * anything runs, selects the backend, runs the benchmark(s), writes the JSON results atomically and
 * prints their tables. Returns the process exit code.
 */
export async function runCli(argv: readonly string[], registry: Readonly<Record<string, BenchmarkEntry>>, io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help') {
    io.out(usage(registry));
    return argv.length === 0 ? 1 : 0;
  }
  const { what, flags } = parseArgs(argv);
  const names = what === 'all' ? Object.keys(registry) : Object.hasOwn(registry, what) ? [what] : [];
  if (names.length === 0) {
    throw new Error(`bench: unknown benchmark '${what}' (expected one of ${[...Object.keys(registry), 'all'].join(', ')})`);
  }
  const selected = await Promise.all(names.map((name) => registry[name].load()));

  const commonKeys = Object.keys(commonOptions.shape);
  const common = commonOptions.safeParse(Object.fromEntries(Object.entries(flags).filter(([k]) => commonKeys.includes(k))));
  if (!common.success) throw new Error(`bench: ${describeIssues(common.error)}`);
  const known = new Set([...commonKeys, ...selected.flatMap((b) => Object.keys(b.options.shape))]);
  const unknown = Object.keys(flags).filter((k) => !known.has(k));
  if (unknown.length > 0) {
    throw new Error(`bench: unknown flag(s) ${unknown.map((k) => `--${k}`).join(', ')} for '${what}' (known: ${[...known].map((k) => `--${k}`).join(', ')})`);
  }
  const plans = selected.map((bench) => {
    const keys = Object.keys(bench.options.shape);
    const parsed = bench.options.safeParse(Object.fromEntries(Object.entries(flags).filter(([k]) => keys.includes(k))));
    if (!parsed.success) throw new Error(`bench ${bench.name}: ${describeIssues(parsed.error)}`);
    return { bench, options: parsed.data };
  });

  const backend = await selectBackend(common.data.backend);
  const meta = collectMeta();
  const results = [];
  for (const { bench, options } of plans) {
    io.err(`bench ${bench.name} on ${backend} ...`);
    const result = await bench.run(options, { backend, progress: io.err });
    results.push({ benchmark: bench.name, options, rows: result.rows, summary: result.summary });
    io.out(`== ${bench.name} (${backend}) ==\n${result.table}\n`);
  }
  const doc = what === 'all' ? { meta, results } : { meta, ...results[0] };
  writeJsonAtomic(common.data.out, doc);
  io.err(`wrote ${common.data.out}`);
  return 0;
}
