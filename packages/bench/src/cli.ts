import { registerOnnxruntimeEngine } from '@unpool/engine-onnxruntime';
import { BENCHMARKS } from './registry.js';
import { runCli } from './run_cli.js';

registerOnnxruntimeEngine();

// The program behind `pnpm bench`: results to stdout, progress and errors to stderr.
runCli(process.argv.slice(2), BENCHMARKS, {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
