import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeBatch } from '@unpool/datasets';
import { loadRun, openData, readResult, writeJsonAtomic, type RunConfig } from '@unpool/exp';
import type { OnnxCheck } from '@unpool/onnx';
import { loadOnnx } from './optional_modules.js';
import * as tf from '@tensorflow/tfjs';

/**
 * Exports a completed run's final model to `model.onnx`, cross-checks it in onnxruntime-node on the first
 * `images` validation images of the run's first evaluation set, writes `onnx-check.json` and records the
 * check in result.json (so the report can show it).
 */
export async function onnxCheckForRun(runDir: string, images = 8): Promise<OnnxCheck> {
  const run = loadRun(runDir);
  if (!run.config) throw new Error(`${runDir}: no readable config.json (${run.problems.join('; ')})`);
  if (!run.result || run.result.status !== 'completed') throw new Error(`${runDir}: the run is not completed (status ${run.result?.status ?? 'unknown'})`);
  const modelDir = path.join(runDir, 'model');
  if (!fs.existsSync(modelDir)) throw new Error(`${runDir}: no saved model folder 'model/' (runs from before ONNX support must be re-run)`);
  const config = run.config.config as unknown as RunConfig;
  const first = config.data.eval[0];
  const dataset = openData(first.data, Math.max(images, 1), config.height, config.width);
  const n = Math.min(images, dataset.size);
  const batch = makeBatch(dataset, Array.from({ length: n }, (_, i) => i));
  try {
    const { onnxCheckRun } = await loadOnnx();
    const check = await onnxCheckRun({ modelDir, images: batch.images, outDir: runDir, backend: tf.getBackend() as 'cpu' | 'wasm' });
    const resultFile = path.join(runDir, 'result.json');
    const result = readResult(resultFile);
    writeJsonAtomic(resultFile, { ...result, onnx: check as unknown as Record<string, unknown> });
    return check;
  } finally {
    tf.dispose([batch.images, batch.labels]);
  }
}

export function describeCheck(check: OnnxCheck): string {
  const ms = (x: number | null | undefined) => (typeof x === 'number' ? x.toFixed(1) : '-');
  return `non-finite logits ${check.nonFinite}, max |diff| ${check.maxAbsDiff.toExponential(2)}, argmax agreement ${(100 * check.argmaxAgreement).toFixed(3)}%, ` +
    `ORT ${ms(check.ortMsPerImage.threads1)} ms/img (1 thread) ${ms(check.ortMsPerImage.threads2)} ms/img (2 threads), tfjs ${check.tfjsBackend} ${ms(check.tfjsMsPerImage)} ms/img`;
}
