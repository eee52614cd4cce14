import type * as EngineOnnxruntime from '@unpool/engine-onnxruntime';
import { BENCHMARKS } from './registry.js';
import { runCli } from './run_cli.js';

// Engines register themselves with the runner. A variable specifier keeps the bundler from following it:
// the GPU bundle (which runs `bench` too) registers its compiled-in engine before importing this file.
const ENGINE_ONNXRUNTIME = '@unpool/engine-onnxruntime';
try {
  ((await import(ENGINE_ONNXRUNTIME)) as typeof EngineOnnxruntime).registerOnnxruntimeEngine();
} catch (err) {
  if ((err as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw err;
}

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
