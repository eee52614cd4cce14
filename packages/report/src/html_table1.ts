import { cellStatusLines, fmt, fmtSigned, fmtSpread, seedCoverage, typeset } from './format.js';
import { esc } from './html_escape.js';
import type { Table1, Table1Cell, Table1Column } from './table1.js';

function spreadTitle(kind: string): string {
  return kind === 'range' ? 'min–max over 2 seeds' : kind === 'ci95' ? 'half-width of the 95% t confidence interval' : '';
}

function cellHtml(cell: Table1Cell, col: Table1Column, first: boolean): string {
  const cls = ['num', col.source === 'paper' ? 'paper' : '', first ? 'sep' : '', col.kind === 'delta' || col.kind === 'paperDelta' ? 'delta' : ''].filter(Boolean);
  switch (cell.kind) {
    case 'variant': {
      const c = cell.cell;
      if (c.kind !== 'stats') {
        const statusCls = c.kind === 'status' ? `status status-${c.statuses[0]}` : 'undef';
        const title = c.kind === 'undefined' ? 'IoU undefined: class absent from ground truth and prediction' : c.kind === 'absent' ? 'the result has no such evaluation' : 'no completed run';
        const [main, detail] = cellStatusLines(c);
        return `<td class="${[...cls, statusCls].join(' ')}" title="${esc(title)}"><span class="m">${esc(main)}</span>${detail ? `<span class="s">${esc(detail)}</span>` : ''}</td>`;
      }
      const spread = fmtSpread(c.stats);
      const coverage = seedCoverage(c);
      const title = `${col.title}: mean of ${c.stats.n} seed${c.stats.n === 1 ? '' : 's'}${spread ? `, ${spreadTitle(c.stats.spread)} ${spread}` : ''}${coverage ? ` (${c.pending.join(', ')} not completed)` : ''}`;
      return (
        `<td class="${[...cls, cell.bold ? 'best' : ''].filter(Boolean).join(' ')}" title="${esc(title)}">` +
        `<span class="m">${fmt(c.stats.mean)}</span>` +
        (spread ? `<span class="s">${esc(spread)}</span>` : '') +
        (coverage ? `<span class="s warn">${esc(coverage)}</span>` : '') +
        '</td>'
      );
    }
    case 'delta': {
      const d = cell.delta;
      if (d.value === null) return `<td class="${cls.join(' ')}"></td>`;
      const neg = Number(fmt(d.value)) < 0;
      const spread = d.paired && d.paired.spread !== 'none' ? typeset(fmtSpread(d.paired)) : '';
      return (
        `<td class="${[...cls, neg ? 'neg' : ''].filter(Boolean).join(' ')}" title="${esc(col.title)}${spread ? `; spread of per-seed differences ${esc(spread)}` : ''}">` +
        `<span class="m">${typeset(fmtSigned(d.value))}</span>${spread ? `<span class="s">${esc(spread)}</span>` : ''}</td>`
      );
    }
    case 'paper':
      if (cell.value === null) return `<td class="${cls.join(' ')}">—</td>`;
      return `<td class="${[...cls, cell.bold ? 'best' : ''].filter(Boolean).join(' ')}">${fmt(cell.value)}</td>`;
    case 'paperDelta':
      if (cell.value === null) return `<td class="${cls.join(' ')}">—</td>`;
      return `<td class="${[...cls, cell.value < 0 ? 'neg' : ''].filter(Boolean).join(' ')}">${typeset(fmtSigned(cell.value))}</td>`;
  }
}

/** Table 1 with three header levels: evaluation set (or the paper), network, column. */
export function table1Html(table: Table1): string {
  const firstOfGroup = new Set<number>();
  let i = 0;
  for (const band of table.bands) {
    for (const g of band.groups) {
      firstOfGroup.add(i);
      i += g.span;
    }
  }
  const bandRow = table.bands
    .map((b) => `<th colspan="${b.groups.reduce((a, g) => a + g.span, 0)}" class="band sep${b.source === 'paper' ? ' paper' : ''}">${esc(b.label)}</th>`)
    .join('');
  const groupRow = table.bands
    .flatMap((b) => b.groups.map((g) => `<th colspan="${g.span}" class="group sep${b.source === 'paper' ? ' paper' : ''}">${esc(g.label)}</th>`))
    .join('');
  const colRow = table.columns
    .map((c, k) => `<th class="col${firstOfGroup.has(k) ? ' sep' : ''}${c.source === 'paper' ? ' paper' : ''}" title="${esc(c.title)}">${esc(c.header)}</th>`)
    .join('');
  const body = table.rows
    .map((row, r) => {
      const cells = table.cells[r].map((cell, k) => cellHtml(cell, table.columns[k], firstOfGroup.has(k))).join('');
      return `<tr class="row-${row.kind}" data-row="${esc(row.key)}"><th scope="row">${esc(row.label)}</th>${cells}</tr>`;
    })
    .join('\n');
  return (
    `<table class="t1" id="table1-grid">\n<thead>\n<tr><th rowspan="3" class="rowhead">Class</th>${bandRow}</tr>\n<tr>${groupRow}</tr>\n<tr>${colRow}</tr>\n</thead>\n` +
    `<tbody>\n${body}\n</tbody>\n</table>`
  );
}
