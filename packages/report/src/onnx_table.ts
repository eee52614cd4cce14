import type { RunSlot } from './run_slots.js';
import { flattenRecord, genericTable, type GenericTable } from './generic_table.js';

/** The `onnx` cross-check records of result.json (written by `exp onnx`), one row per run that has one. */
export function onnxTable(slots: readonly RunSlot[]): GenericTable {
  const records = slots
    .filter((s) => s.run?.result?.onnx)
    .map((s) => ({ variant: s.variant.name, seed: s.seed, ...flattenRecord(s.run!.result!.onnx) }));
  return genericTable(records, ['variant', 'seed']);
}
