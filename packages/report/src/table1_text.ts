import { cellStatusText, fmt, fmtSigned, fmtSpread, seedCoverage } from './format.js';
import { seedCountText, type Table1, type Table1Cell, type Table1Column } from './table1.js';

/** Header text of a column when there is only one header row (Markdown, CSV). */
export function flatHeader(col: Table1Column): string {
  switch (col.kind) {
    case 'variant':
      return `${col.set} ${col.variant}`;
    case 'delta':
      return `${col.set} Δ ${col.ratioVariant}−${col.switchVariant}`;
    case 'paper':
      return `paper ${col.group} ${col.header}`;
    case 'paperDelta':
      return `paper ${col.group} Δ`;
  }
}

function markdownCell(cell: Table1Cell): string {
  switch (cell.kind) {
    case 'variant': {
      const c = cell.cell;
      if (c.kind !== 'stats') return cellStatusText(c);
      const mean = cell.bold ? `**${fmt(c.stats.mean)}**` : fmt(c.stats.mean);
      const extras = [fmtSpread(c.stats), seedCoverage(c)].filter(Boolean);
      return extras.length ? `${mean} (${extras.join('; ')})` : mean;
    }
    case 'delta': {
      const d = cell.delta;
      if (d.value === null) return '';
      return d.paired && d.paired.spread !== 'none' ? `${fmtSigned(d.value)} (${fmtSpread(d.paired)})` : fmtSigned(d.value);
    }
    case 'paper':
      if (cell.value === null) return '—';
      return cell.bold ? `**${fmt(cell.value)}**` : fmt(cell.value);
    case 'paperDelta':
      return cell.value === null ? '—' : fmtSigned(cell.value);
  }
}

/** GitHub Markdown with the same numbers as the HTML table. */
export function table1Markdown(table: Table1, title = 'Table 1'): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const header = ['Class', ...table.columns.map(flatHeader)];
  const lines = [
    `## ${title}`,
    '',
    'IoU in percent. Ours: mean over seeds; in parentheses min–max for two seeds, ±half-width of the 95% t confidence interval for three or more. ' +
      'Δ = ratio − switch (its spread is over per-seed differences). Bold: the better of each switch/ratio pair. ' +
      "`paper` columns are the paper's Table 1 (real Cityscapes/KITTI, VGG16 SegNet), not reproduced numbers.",
    '',
    seedCountText(table),
    '',
    `| ${header.map(esc).join(' | ')} |`,
    `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
  ];
  table.rows.forEach((row, r) => {
    lines.push(`| ${[row.label, ...table.cells[r].map(markdownCell)].map(esc).join(' | ')} |`);
  });
  return `${lines.join('\n')}\n`;
}

function csvField(v: string | number | boolean | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const TABLE1_CSV_COLUMNS = [
  'row',
  'row_label',
  'column',
  'source',
  'set',
  'group',
  'variant',
  'n_seeds',
  'expected_seeds',
  'mean',
  'low',
  'high',
  'spread',
  'status',
  'bold',
] as const;

/**
 * One line per cell (tidy), numbers formatted exactly as in the HTML table. For Δ columns `mean` is the
 * difference of means and low/high the spread of the per-seed differences.
 */
export function table1Csv(table: Table1): string {
  const out: string[] = [TABLE1_CSV_COLUMNS.join(',')];
  table.rows.forEach((row, r) => {
    table.columns.forEach((col, c) => {
      const cell = table.cells[r][c];
      const rec: Record<(typeof TABLE1_CSV_COLUMNS)[number], string | number | boolean | null> = {
        row: row.key,
        row_label: row.label,
        column: col.key,
        source: col.source,
        set: col.set,
        group: col.group,
        variant: col.kind === 'variant' ? col.variant : col.kind === 'delta' ? `${col.ratioVariant}-${col.switchVariant}` : col.kind === 'paper' ? col.unpool : 'ratio-switch',
        n_seeds: null,
        expected_seeds: null,
        mean: null,
        low: null,
        high: null,
        spread: null,
        status: null,
        bold: null,
      };
      if (cell.kind === 'variant') {
        const v = cell.cell;
        rec.expected_seeds = col.kind === 'variant' ? (table.seedsPerVariant[col.variant] ?? 0) : null;
        if (v.kind === 'stats') {
          Object.assign(rec, { n_seeds: v.stats.n, mean: fmt(v.stats.mean), spread: v.stats.spread, bold: cell.bold, status: v.pending.length ? `pending: ${v.pending.join(' / ')}` : 'completed' });
          if (v.stats.spread !== 'none') Object.assign(rec, { low: fmt(v.stats.low), high: fmt(v.stats.high) });
        } else {
          rec.status = v.kind === 'status' ? v.statuses.join(' / ') : v.kind === 'undefined' ? 'undefined' : 'no such evaluation';
        }
      } else if (cell.kind === 'delta') {
        if (cell.delta.value !== null) rec.mean = fmt(cell.delta.value);
        const p = cell.delta.paired;
        if (p) Object.assign(rec, { n_seeds: p.n, spread: p.spread, ...(p.spread !== 'none' ? { low: fmt(p.low), high: fmt(p.high) } : {}) });
      } else if (cell.kind === 'paper') {
        if (cell.value !== null) Object.assign(rec, { mean: fmt(cell.value), bold: cell.bold });
      } else if (cell.value !== null) {
        rec.mean = fmt(cell.value);
      }
      out.push(TABLE1_CSV_COLUMNS.map((k) => csvField(rec[k])).join(','));
    });
  });
  return `${out.join('\n')}\n`;
}
