import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes `data` to `file` through a temp file in the same folder, fsynced and renamed over the target:
 * a reader (or a run killed half-way) sees the old file or the complete new one, never a torn one.
 */
export function writeFileAtomic(file: string, data: Uint8Array | string): void {
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`);
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new Error(`writeFileAtomic(${file}): ${(err as Error).message}`);
  }
}
