import { z } from 'zod';
import { flattenRecord, genericTable, type Scalar } from './generic_table.js';
import { fmtMedianRange, fmtShape, fmtUnit, summarize, type Unit } from './view/units.js';

/**
 * A benchmark JSON file (`pnpm bench ops|train`, or another tool's rows) as a reader wants it: the file's
 * own headline ratios first, then one row per measurement with labelled columns and units, timings as
 * median [min–max] of their samples (never the samples), and the machine metadata folded away.
 * Read tolerantly: the bench package evolves independently, so an unknown field is still shown, labelled
 * from its name, and only `{rows: [...]}` is required.
 */
export const benchFileSchema = z.object({
  meta: z.record(z.string(), z.unknown()).optional(),
  benchmark: z.string().optional(),
  options: z.record(z.string(), z.unknown()).optional(),
  rows: z.array(z.record(z.string(), z.unknown())),
  summary: z.unknown().optional(),
});

export interface BenchCell {
  text: string;
  /** Second line: the [min–max] of a median, or detail of a list. */
  sub: string;
  numeric: boolean;
}

export interface BenchColumn {
  key: string;
  label: string;
}

export interface BenchGrid {
  columns: BenchColumn[];
  rows: BenchCell[][];
}

export interface BenchTable {
  file: string;
  /** What was measured, from `benchmark` and `options`. */
  title: string;
  /** The file's own summary records (headline ratios), or null when it has none. */
  headline: BenchGrid | null;
  /** Prose fields of the summary (how timings and bytes were taken). */
  notes: { label: string; text: string }[];
  table: BenchGrid;
  /** Everything else the file recorded about the machine and versions, label/value, for a folded list. */
  meta: { label: string; value: string }[];
}

interface ColumnDef {
  label: string;
  unit: Unit;
  /** Field holding the samples this median came from: shown as their [min–max]. */
  samples?: string;
}

/** Fields the bench package writes, with the words a reader uses. Anything else is labelled from its key. */
const KNOWN: Record<string, ColumnDef> = {
  op: { label: 'op', unit: 'none' },
  set: { label: 'shape set', unit: 'none' },
  shape: { label: 'shape (N×H×W×C)', unit: 'none' },
  model: { label: 'model', unit: 'none' },
  unpool: { label: 'unpooling', unit: 'none' },
  backend: { label: 'backend', unit: 'none' },
  engine: { label: 'engine', unit: 'none' },
  batch: { label: 'batch', unit: 'count' },
  height: { label: 'height (px)', unit: 'count' },
  width: { label: 'width (px)', unit: 'count' },
  fwdMs: { label: 'forward (ms)', unit: 'ms', samples: 'fwdSamplesMs' },
  fwdBwdMs: { label: 'forward + backward (ms)', unit: 'ms', samples: 'fwdBwdSamplesMs' },
  trainStepMs: { label: 'train step (ms)', unit: 'ms', samples: 'trainSamplesMs' },
  forwardMs: { label: 'forward (ms)', unit: 'ms', samples: 'forwardSamplesMs' },
  bytesKeptForBackward: { label: 'kept for backward', unit: 'bytes' },
  keptForBackward: { label: 'tensors kept for backward', unit: 'none' },
  encoderToDecoderBytes: { label: 'held pool → unpool at inference', unit: 'bytes' },
  peakBytes: { label: 'peak memory', unit: 'bytes' },
  profile: { label: 'kernel profile (top 5)', unit: 'none' },
};

/** Minimum timings are already the left end of the [min–max] under each median. */
const FOLDED_INTO_RANGE = new Set(['fwdMinMs', 'fwdBwdMinMs', 'trainMinMs', 'forwardMinMs']);

const WORDS: [RegExp, string][] = [
  [/fwdBwd/g, 'forward + backward '],
  [/fwd/g, 'forward '],
  [/Bwd/g, ' backward '],
  [/Over/g, ' / '],
  [/Vs/g, ' vs '],
  [/Ms$/g, ' (ms)'],
  [/Bytes$/g, ' (bytes)'],
];

/** "ratioOverSwitch.fwdBwdMin" -> "ratio / switch, forward + backward min". */
export function humanizeKey(key: string): string {
  return key
    .split('.')
    .map((part) => {
      let s = part;
      for (const [re, to] of WORDS) s = s.replace(re, to);
      return s
        .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
        .toLowerCase()
        .replace(/\s+/g, ' ')
        .trim();
    })
    .join(', ');
}

function unitOf(key: string, value: unknown, ratioContext: boolean): Unit {
  if (KNOWN[key]) return KNOWN[key].unit;
  const numeric = typeof value === 'number' || (Array.isArray(value) && value.length > 0 && value.every((x) => typeof x === 'number'));
  if (!numeric) return 'none';
  if (ratioContext || /ratio|over|vs|speedup/i.test(key)) return 'ratio';
  if (/Ms$/.test(key)) return 'ms';
  if (/bytes$/i.test(key)) return 'bytes';
  return 'none';
}

const cell = (text: string, numeric = false, sub = ''): BenchCell => ({ text, sub, numeric });

/** `profile: {launches, topKernels: [{name, ms, calls}]}` as one line a person can read. */
function profileCell(value: unknown): BenchCell {
  if (value === null || value === undefined) return cell('');
  const p = value as { launches?: unknown; topKernels?: unknown };
  const kernels = Array.isArray(p.topKernels) ? (p.topKernels as { name?: unknown; ms?: unknown; calls?: unknown }[]) : [];
  const top = kernels
    .slice(0, 5)
    .map((k) => `${String(k.name ?? '?')} ${typeof k.ms === 'number' ? fmtUnit(k.ms, 'ms') : '?'} ms${typeof k.calls === 'number' ? ` ×${k.calls}` : ''}`);
  return cell(top.join(', '), false, typeof p.launches === 'number' ? `${p.launches} kernel launches per step` : '');
}

/** Any value of a record, formatted for a cell; arrays of numbers become a median [min–max], never a list. */
function valueCell(key: string, value: unknown, unit: Unit): BenchCell {
  if (value === null || value === undefined) return cell('');
  if (key === 'profile') return profileCell(value);
  if (key === 'shape' && Array.isArray(value)) return cell(fmtShape(value));
  if (typeof value === 'number') return cell(fmtUnit(value, unit), true);
  if (typeof value === 'string' || typeof value === 'boolean') return cell(String(value));
  if (Array.isArray(value)) {
    if (value.every((x) => typeof x === 'number')) {
      const s = summarize(value as number[]);
      if (!s) return cell('');
      const { median, range } = fmtMedianRange(s, unit);
      return cell(median, true, `${range} n=${s.n}`.trim());
    }
    if (value.every((x) => x === null || typeof x !== 'object')) return cell(value.map(String).join('; '));
  }
  // A nested object the bench package added: its leaves as "key value" pairs, still never raw JSON.
  const flat = flattenRecord(value);
  return cell(
    Object.entries(flat)
      .map(([k, v]) => `${humanizeKey(k)} ${scalarText(k, v)}`)
      .join('; '),
  );
}

function scalarText(key: string, v: Scalar): string {
  if (typeof v === 'number') return fmtUnit(v, unitOf(key.split('.').pop()!, v, false));
  return v === null ? '' : String(v);
}

function timingCell(row: Record<string, unknown>, key: string, def: ColumnDef): BenchCell {
  const samples = def.samples ? row[def.samples] : undefined;
  if (Array.isArray(samples) && samples.every((x) => typeof x === 'number')) {
    const s = summarize(samples as number[]);
    // The median the file reports is the one shown; the samples only give its spread.
    if (s && typeof row[key] === 'number') return cell(fmtUnit(row[key] as number, def.unit), true, s.n > 1 ? `[${fmtUnit(s.min, def.unit)}–${fmtUnit(s.max, def.unit)}]` : '');
  }
  return valueCell(key, row[key], def.unit);
}

function rowsGrid(rows: readonly Record<string, unknown>[]): BenchGrid {
  const sampleKeys = new Set(Object.values(KNOWN).flatMap((d) => (d.samples ? [d.samples] : [])));
  const keys: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!keys.includes(k) && !sampleKeys.has(k) && !FOLDED_INTO_RANGE.has(k)) keys.push(k);
  const known = Object.keys(KNOWN);
  // Identity first (what was measured), then the measurements in the bench package's own order.
  keys.sort((a, b) => (known.includes(a) ? known.indexOf(a) : known.length) - (known.includes(b) ? known.indexOf(b) : known.length));
  const columns = keys.map((key) => ({ key, label: KNOWN[key]?.label ?? humanizeKey(key) }));
  return {
    columns,
    rows: rows.map((r) => keys.map((key) => (KNOWN[key] ? timingCell(r, key, KNOWN[key]) : valueCell(key, r[key], unitOf(key, r[key], false))))),
  };
}

/** The summary's records (headline ratios) and its prose, whether it is an array or an object holding one. */
function headlineOf(summary: unknown): { headline: BenchGrid | null; notes: BenchTable['notes'] } {
  if (summary === undefined || summary === null) return { headline: null, notes: [] };
  const notes: BenchTable['notes'] = [];
  let records: unknown[] = [];
  if (Array.isArray(summary)) records = summary;
  else if (typeof summary === 'object') {
    for (const [k, v] of Object.entries(summary as Record<string, unknown>)) {
      if (typeof v === 'string') notes.push({ label: humanizeKey(k), text: v });
      else if (Array.isArray(v) && records.length === 0) records = v;
    }
    if (records.length === 0) records = [Object.fromEntries(Object.entries(summary as Record<string, unknown>).filter(([, v]) => typeof v !== 'string'))];
  }
  const flat = records.filter((r) => r !== null && typeof r === 'object').map((r) => flattenRecord(r));
  const keys = genericTable(flat).columns;
  if (keys.length === 0) return { headline: null, notes };
  // In a summary every number is a ratio of two measurements, unless its key says it is a time or size.
  const unit = (k: string, v: Scalar): Unit => (typeof v !== 'number' ? 'none' : /Ms$|bytes$/i.test(k) ? unitOf(k, v, false) : 'ratio');
  return {
    headline: {
      columns: keys.map((key) => ({ key, label: KNOWN[key]?.label ?? humanizeKey(key) })),
      rows: flat.map((r) => keys.map((k) => (k === 'shape' && typeof r[k] === 'string' ? cell(String(r[k]).replace(/^\[|\]$/g, '').split(', ').join('×')) : valueCell(k, r[k], unit(k, r[k] ?? null))))),
    },
    notes,
  };
}

function titleOf(file: string, benchmark: string | undefined, options: Record<string, unknown> | undefined): string {
  const what = benchmark === 'ops' ? 'unpooling operators' : benchmark === 'train' ? 'SegNet training step' : (benchmark ?? 'rows');
  const opts = Object.entries(flattenRecord(options ?? {}))
    .map(([k, v]) => `${humanizeKey(k)} ${v === null ? '' : String(v)}`.trim())
    .join(' · ');
  return `${what}${opts ? ` (${opts})` : ''}`;
}

function metaList(meta: Record<string, unknown>): BenchTable['meta'] {
  return Object.entries(flattenRecord(meta)).map(([k, v]) => ({ label: humanizeKey(k).replace(/ \(bytes\)$/, ''), value: typeof v === 'number' ? fmtUnit(v, /bytes$/i.test(k) ? 'bytes' : 'none') : v === null ? '' : String(v) }));
}

/** The view of one bench file, or the reason it cannot be shown. */
export function benchTable(file: string, value: unknown): BenchTable | { file: string; error: string } {
  const parsed = benchFileSchema.safeParse(value);
  if (!parsed.success) {
    return { file, error: `${file}: not a bench file ({meta, rows: [...]}): ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}` };
  }
  const d = parsed.data;
  // Top-level fields other than the known ones (another tool's `torch`, `threads`...) are metadata too.
  const extra = Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([k]) => !['meta', 'benchmark', 'options', 'rows', 'summary'].includes(k)));
  return {
    file,
    title: titleOf(file, d.benchmark, d.options),
    ...headlineOf(d.summary),
    table: rowsGrid(d.rows),
    meta: metaList({ ...extra, ...(d.meta ?? {}) }),
  };
}
