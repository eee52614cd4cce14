import * as fs from 'node:fs';

/**
 * JSON Lines that survive a crash mid-append. An append is one write of one line, but a process killed
 * during it (or a full disk) can leave the last line without its newline: readers skip such a torn final
 * line and say so, and the appender cuts it off before writing, so one bad write never blocks a run.
 * Anything wrong before the last line is not a torn append and stays an error.
 */
export interface JsonlRead {
  values: { line: number; value: unknown }[];
  /** The torn final line (1-based number and its bytes), if the file ends in one. */
  torn: { line: number; bytes: number } | null;
}

export function parseJsonl(file: string, text: string): JsonlRead {
  const lines = text.split('\n');
  // A complete file ends with '\n', so the last piece is empty; anything else there is a torn append.
  const tail = lines.pop() ?? '';
  const values: JsonlRead['values'] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    try {
      values.push({ line: i + 1, value: JSON.parse(line) });
    } catch {
      throw new Error(`${file}:${i + 1}: not valid JSON`);
    }
  });
  return { values, torn: tail.length ? { line: lines.length + 1, bytes: Buffer.byteLength(tail) } : null };
}

export function readJsonl(file: string): JsonlRead {
  return parseJsonl(file, fs.readFileSync(file, 'utf8'));
}

/** Cuts a torn final line off (returns its length in bytes, 0 if the file was whole or absent). */
export function repairJsonl(file: string): number {
  if (!fs.existsSync(file)) return 0;
  const bytes = fs.readFileSync(file);
  if (!bytes.length || bytes[bytes.length - 1] === 0x0a) return 0;
  const keep = bytes.lastIndexOf(0x0a) + 1;
  fs.truncateSync(file, keep);
  return bytes.length - keep;
}

/** Appends one line with a single write and fsyncs it, after repairing a torn tail. */
export function appendJsonl(file: string, value: unknown): void {
  repairJsonl(file);
  const fd = fs.openSync(file, 'a');
  try {
    fs.writeSync(fd, `${JSON.stringify(value)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
