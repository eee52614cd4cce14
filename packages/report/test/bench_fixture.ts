import * as fs from 'node:fs';
import * as path from 'node:path';

/** A `pnpm bench ops` output file as its documented format describes it, plus a field the report does not know. */
export function writeBenchFile(dir: string): string {
  const file = path.join(dir, 'bench-ops.json');
  const rows = ['switch', 'ratio', 'nearest'].flatMap((op) =>
    ['wasm', 'cpu'].map((backend) => ({
      op: `${op}_unpool`,
      shape: [8, 64, 192, 16],
      backend,
      fwdMs: op === 'switch' ? 12.5 : 4.25,
      fwdBwdMs: op === 'switch' ? 17.6 : 9.5,
      bytesKeptForBackward: op === 'switch' ? 1572864 : 0,
      repeats: 20,
    })),
  );
  fs.writeFileSync(file, JSON.stringify({ meta: { node: '20.20.2', cpu: 'test cpu', threads: 1 }, rows }));
  return file;
}
