import * as path from 'node:path';
import { loadSegNet } from '@unpool/models';
import { selectBackend } from '@unpool/runtime';
import { writeFileAtomic } from '@unpool/models';
import { crossCheckWithOnnx, type CheckImages, type CrossCheckOptions, type OnnxCheck } from './cross_check.js';

export const ONNX_FILE = 'model.onnx';
export const CHECK_FILE = 'onnx-check.json';

export interface OnnxCheckRunOptions extends CrossCheckOptions {
  /** A folder written by `saveSegNet`. */
  modelDir: string;
  images: CheckImages;
  /** Receives `model.onnx` and `onnx-check.json` (both written atomically). */
  outDir: string;
}

/**
 * Loads a saved SegNet, exports it and cross-checks it against onnxruntime-node; writes the model and the
 * check to `outDir` whether or not the check passed (the caller decides, e.g. with `checkOrThrow`).
 */
export async function onnxCheckRun(options: OnnxCheckRunOptions): Promise<OnnxCheck> {
  const { modelDir, images, outDir, ...checkOptions } = options;
  // Selected before loading so the weights land on the backend under test instead of moving later.
  if (checkOptions.backend) await selectBackend(checkOptions.backend);
  const model = loadSegNet(modelDir);
  try {
    const { check, onnx } = await crossCheckWithOnnx(model, images, checkOptions);
    writeFileAtomic(path.join(outDir, ONNX_FILE), onnx);
    writeFileAtomic(path.join(outDir, CHECK_FILE), `${JSON.stringify(check, null, 2)}\n`);
    return check;
  } finally {
    model.dispose();
  }
}
