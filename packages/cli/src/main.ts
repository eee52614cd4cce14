#!/usr/bin/env node
import { UsageError } from './args.js';
import { runCommand, runUsage } from './commands/run.js';
import { listCommand, listUsage } from './commands/list.js';
import { showCommand, showUsage } from './commands/show.js';
import { compareCommand, compareUsage } from './commands/compare.js';
import { mergeCommand, mergeUsage } from './commands/merge.js';
import { onnxCommand, onnxUsage } from './commands/onnx.js';
import { reportCommand, reportUsage } from './commands/report.js';
import { dataCommand, dataUsage } from './commands/data.js';
import { bundleUsage } from './commands/bundle.js';
import { registerOptionalEngines } from './optional_modules.js';

const USAGE = `usage:
  ${runUsage}
  ${listUsage}
  ${showUsage}
  ${compareUsage}
  ${mergeUsage}
  ${onnxUsage}
  ${reportUsage}
  ${dataUsage}
  ${bundleUsage}
`;

const commands: Record<string, (argv: string[]) => Promise<number>> = {
  run: runCommand,
  list: listCommand,
  show: showCommand,
  compare: compareCommand,
  merge: mergeCommand,
  onnx: onnxCommand,
  report: reportCommand,
  data: dataCommand,
  bundle: async (argv) => (await import('./commands/bundle.js')).bundleCommand(argv),
};

async function main(argv: string[]): Promise<number> {
  // The runner knows engines only by registration; the CLI offers ONNX Runtime where this build has it.
  await registerOptionalEngines();
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) throw new UsageError(`unknown command '${name}'\n${USAGE}`);
  return command(rest);
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
