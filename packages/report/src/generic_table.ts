/**
 * Tables of records whose fields are not fixed (bench JSON, ONNX cross-check records): nested objects
 * are flattened to dotted keys so whatever the producer wrote is shown, in a stable column order.
 */
export type Scalar = string | number | boolean | null;

export interface GenericTable {
  columns: string[];
  rows: Record<string, Scalar>[];
}

export function flattenRecord(value: unknown, prefix = '', out: Record<string, Scalar> = {}): Record<string, Scalar> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flattenRecord(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (Array.isArray(value)) {
    out[prefix] = value.every((x) => x === null || ['string', 'number', 'boolean'].includes(typeof x)) ? `[${value.join(', ')}]` : JSON.stringify(value);
  } else if (value === undefined) {
    out[prefix] = null;
  } else {
    out[prefix] = value as Scalar;
  }
  return out;
}

/** Columns in `preferred` order first (those present), then the rest in first-seen order. */
export function genericTable(records: readonly Record<string, Scalar>[], preferred: readonly string[] = []): GenericTable {
  const seen: string[] = [];
  for (const r of records) for (const k of Object.keys(r)) if (!seen.includes(k)) seen.push(k);
  const columns = [...preferred.filter((k) => seen.includes(k)), ...seen.filter((k) => !preferred.includes(k))];
  return { columns, rows: [...records] };
}

/** Numbers to four significant digits (integers whole), the rest as text. */
export function fmtScalar(v: Scalar | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v);
    if (Number.isInteger(v)) return String(v);
    const a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(2) : String(Number(v.toPrecision(4)));
  }
  return String(v);
}
