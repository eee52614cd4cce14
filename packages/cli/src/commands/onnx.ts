import { selectBackend, type BackendName } from '@unpool/runtime';
import { parse, UsageError } from '../args.js';
import { describeCheck, onnxCheckForRun } from '../onnx_for_run.js';
import { loadOnnx } from '../optional_modules.js';

export const onnxUsage = 'exp onnx <runDir> [--images 8] [--backend wasm|cpu]';

export async function onnxCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('onnx', argv, {
    images: { type: 'string', default: '8' },
    backend: { type: 'string', default: 'wasm' },
  });
  if (positionals.length !== 1) throw new UsageError(`usage: ${onnxUsage}`);
  if (!['wasm', 'cpu'].includes(values.backend!)) throw new UsageError(`--backend: the cross-check runs tfjs on wasm or cpu, got '${values.backend}'`);
  const images = Number(values.images);
  if (!Number.isInteger(images) || images < 1) throw new UsageError(`--images: expected a positive integer, got '${values.images}'`);
  await selectBackend(values.backend as BackendName);
  const check = await onnxCheckForRun(positionals[0], images);
  process.stdout.write(`${positionals[0]}: ${check.passed ? 'PASSED' : 'FAILED'}: ${describeCheck(check)}\n`);
  (await loadOnnx()).checkOrThrow(check);
  return 0;
}
