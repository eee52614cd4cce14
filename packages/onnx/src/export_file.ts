import type { SegNet } from '@unpool/models';
import { writeFileAtomic } from '@unpool/models';
import type { ExportOptions } from './export_options.js';
import { exportOnnx } from './segnet_onnx.js';

/** Exports `model` and writes it to `file` atomically; returns the bytes written. */
export function exportOnnxFile(model: SegNet, file: string, options?: ExportOptions): Uint8Array {
  const bytes = exportOnnx(model, options);
  writeFileAtomic(file, bytes);
  return bytes;
}
