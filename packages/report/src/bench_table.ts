import { z } from 'zod';
import { flattenRecord, genericTable, type GenericTable, type Scalar } from './generic_table.js';

/**
 * Output of `pnpm bench ops`: `{meta, rows: [{op, shape, backend, fwdMs, fwdBwdMs, bytesKeptForBackward}]}`.
 * Read tolerantly: the bench package evolves independently, so unknown fields are shown as they are and
 * only the overall shape is required.
 */
export const benchFileSchema = z.object({
  meta: z.record(z.string(), z.unknown()).optional(),
  rows: z.array(z.record(z.string(), z.unknown())),
});

export const BENCH_PREFERRED_COLUMNS = ['op', 'shape', 'backend', 'fwdMs', 'fwdBwdMs', 'bytesKeptForBackward'];

export interface BenchTable {
  file: string;
  meta: Record<string, Scalar>;
  table: GenericTable;
}

/** The table of one bench file, or the reason it cannot be shown. */
export function benchTable(file: string, value: unknown): BenchTable | { file: string; error: string } {
  const parsed = benchFileSchema.safeParse(value);
  if (!parsed.success) {
    return { file, error: `${file}: not a bench file ({meta, rows: [...]}): ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}` };
  }
  return {
    file,
    meta: flattenRecord(parsed.data.meta ?? {}),
    table: genericTable(
      parsed.data.rows.map((r) => flattenRecord(r)),
      BENCH_PREFERRED_COLUMNS,
    ),
  };
}
