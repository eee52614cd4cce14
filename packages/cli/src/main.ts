#!/usr/bin/env node
import { UsageError } from './args.js';

type Command = { run: (argv: string[]) => Promise<number>; usage: string };

/**
 * Each command's module is loaded only when that command runs, so commands that only read runs (list,
 * show, compare, merge, report) never load a compute engine (tfjs, onnxruntime), which run, onnx and
 * data do.
 */
const commands: Record<string, () => Promise<Command>> = {
  run: async () => import('./commands/run.js').then((m) => ({ run: m.runCommand, usage: m.runUsage })),
  list: async () => import('./commands/list.js').then((m) => ({ run: m.listCommand, usage: m.listUsage })),
  show: async () => import('./commands/show.js').then((m) => ({ run: m.showCommand, usage: m.showUsage })),
  compare: async () => import('./commands/compare.js').then((m) => ({ run: m.compareCommand, usage: m.compareUsage })),
  merge: async () => import('./commands/merge.js').then((m) => ({ run: m.mergeCommand, usage: m.mergeUsage })),
  onnx: async () => import('./commands/onnx.js').then((m) => ({ run: m.onnxCommand, usage: m.onnxUsage })),
  report: async () => import('./commands/report.js').then((m) => ({ run: m.reportCommand, usage: m.reportUsage })),
  data: async () => import('./commands/data.js').then((m) => ({ run: m.dataCommand, usage: m.dataUsage })),
  bundle: async () => import('./commands/bundle.js').then((m) => ({ run: m.bundleCommand, usage: m.bundleUsage })),
  ui: async () => import('./commands/ui.js').then((m) => ({ run: m.uiCommand, usage: m.uiUsage })),
  slurm: async () => import('./commands/slurm.js').then((m) => ({ run: m.slurmCommand, usage: m.slurmUsage })),
  'slurm-finish': async () => import('./commands/slurm.js').then((m) => ({ run: m.slurmFinishCommand, usage: m.slurmFinishUsage })),
};

async function usage(): Promise<string> {
  const all = await Promise.all(Object.values(commands).map((load) => load()));
  return `usage:\n${all.map((c) => `  ${c.usage}\n`).join('')}`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(await usage());
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) throw new UsageError(`unknown command '${name}'\n${await usage()}`);
  return (await load()).run(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`exp: ${message}\n`);
    if (process.env.UNPOOL_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
