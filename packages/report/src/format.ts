import type { SeedStats } from './seed_stats.js';
import type { VariantCell } from './variant_cell.js';

/**
 * Number formatting shared by the HTML, Markdown and CSV outputs, so all three show the same digits.
 * Two decimals, as the paper prints its table.
 */
export function fmt(x: number, digits = 2): string {
  const s = x.toFixed(digits);
  // "-0.00" reads as a sign error in a delta column.
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

export function fmtSigned(x: number, digits = 2): string {
  const s = fmt(x, digits);
  return x > 0 && Number(s) !== 0 ? `+${s}` : s;
}

/** '' for one seed, 'min–max' for two, '±half-width' of the 95% CI for three or more. */
export function fmtSpread(stats: SeedStats, digits = 2): string {
  if (stats.spread === 'none') return '';
  if (stats.spread === 'range') return `${fmt(stats.low, digits)}–${fmt(stats.high, digits)}`;
  return `±${fmt((stats.high - stats.low) / 2, digits)}`;
}

/** Text of a cell that has no number. */
export function cellStatusText(cell: VariantCell): string {
  switch (cell.kind) {
    case 'status':
      return cell.statuses.join(' / ');
    case 'undefined':
      return '—';
    case 'absent':
      return 'n/a';
    case 'stats':
      return fmt(cell.stats.mean);
  }
}

/**
 * The same as two lines for narrow table cells: one status when all seeds agree, otherwise "no result"
 * over the list, so a column of mixed statuses stays narrow.
 */
export function cellStatusLines(cell: VariantCell): [string, string] {
  if (cell.kind === 'status' && cell.statuses.length > 1) return ['no result', cell.statuses.join(', ')];
  return [cellStatusText(cell), ''];
}

/** "2 of 3 seeds" when some expected seeds are not completed, else ''. */
export function seedCoverage(cell: VariantCell): string {
  if (cell.kind !== 'stats' || cell.pending.length === 0) return '';
  return `${cell.stats.n} of ${cell.expected} seeds`;
}

export function fmtBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = bytes;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)} ${units[u]}`;
}

/** A true minus sign for typeset output (HTML); Markdown and CSV keep ASCII so they stay parseable. */
export function typeset(text: string): string {
  return text.replace(/(^|[\s(±–])-(?=\d)/g, '$1\u2212');
}
