import { cellStatusLines, fmt, fmtSigned, fmtSpread, seedCoverage, typeset } from './format.js';
import type { Table1, Table1Cell, Table1Column } from './table1.js';
import { html, type SafeHtml } from './view/html.js';

function spreadTitle(kind: string): string {
  return kind === 'range' ? 'min–max over 2 seeds' : kind === 'ci95' ? 'half-width of the 95% t confidence interval' : '';
}

const classes = (...names: (string | false)[]) => names.filter(Boolean).join(' ');

function cellHtml(cell: Table1Cell, col: Table1Column, first: boolean): SafeHtml {
  const cls = ['num', col.source === 'paper' && 'paper', first && 'sep', (col.kind === 'delta' || col.kind === 'paperDelta') && 'delta'].filter((x): x is string => Boolean(x));
  switch (cell.kind) {
    case 'variant': {
      const c = cell.cell;
      if (c.kind !== 'stats') {
        const statusCls = c.kind === 'status' ? `status status-${c.statuses[0]}` : 'undef';
        const title = c.kind === 'undefined' ? 'IoU undefined: class absent from ground truth and prediction' : c.kind === 'absent' ? 'the result has no such evaluation' : 'no completed run';
        const [main, detail] = cellStatusLines(c);
        return html`<td class="${classes(...cls, statusCls)}" title="${title}"><span class="m">${main}</span>${detail ? html`<span class="s">${detail}</span>` : ''}</td>`;
      }
      const spread = fmtSpread(c.stats);
      const coverage = seedCoverage(c);
      const title = `${col.title}: mean of ${c.stats.n} seed${c.stats.n === 1 ? '' : 's'}${spread ? `, ${spreadTitle(c.stats.spread)} ${spread}` : ''}${coverage ? ` (${c.pending.join(', ')} not completed)` : ''}`;
      return html`<td class="${classes(...cls, cell.bold && 'best')}" title="${title}"><span class="m">${fmt(c.stats.mean)}</span>${spread ? html`<span class="s">${spread}</span>` : ''}${
        coverage ? html`<span class="s warn">${coverage}</span>` : ''
      }</td>`;
    }
    case 'delta': {
      const d = cell.delta;
      if (d.value === null) return html`<td class="${classes(...cls)}"></td>`;
      const neg = Number(fmt(d.value)) < 0;
      const spread = d.paired && d.paired.spread !== 'none' ? typeset(fmtSpread(d.paired)) : '';
      return html`<td class="${classes(...cls, neg && 'neg')}" title="${col.title}${spread ? `; spread of per-seed differences ${spread}` : ''}"><span class="m">${typeset(fmtSigned(d.value))}</span>${
        spread ? html`<span class="s">${spread}</span>` : ''
      }</td>`;
    }
    case 'paper':
      if (cell.value === null) return html`<td class="${classes(...cls)}">—</td>`;
      return html`<td class="${classes(...cls, cell.bold && 'best')}">${fmt(cell.value)}</td>`;
    case 'paperDelta':
      if (cell.value === null) return html`<td class="${classes(...cls)}">—</td>`;
      return html`<td class="${classes(...cls, cell.value < 0 && 'neg')}">${typeset(fmtSigned(cell.value))}</td>`;
  }
}

/** Table 1 with three header levels: evaluation set (or the paper), network, column. */
export function table1Html(table: Table1): SafeHtml {
  const firstOfGroup = new Set<number>();
  let i = 0;
  for (const band of table.bands) {
    for (const g of band.groups) {
      firstOfGroup.add(i);
      i += g.span;
    }
  }
  const paper = (source: string) => (source === 'paper' ? ' paper' : '');
  const bandRow = table.bands.map((b) => html`<th colspan="${b.groups.reduce((a, g) => a + g.span, 0)}" class="band sep${paper(b.source)}">${b.label}</th>`);
  const groupRow = table.bands.flatMap((b) => b.groups.map((g) => html`<th colspan="${g.span}" class="group sep${paper(b.source)}">${g.label}</th>`));
  const colRow = table.columns.map((c, k) => html`<th class="col${firstOfGroup.has(k) ? ' sep' : ''}${paper(c.source)}" title="${c.title}">${c.header}</th>`);
  const body = table.rows.map(
    (row, r) => html`${r ? '\n' : ''}<tr class="row-${row.kind}" data-row="${row.key}"><th scope="row">${row.label}</th>${table.cells[r].map((cell, k) => cellHtml(cell, table.columns[k], firstOfGroup.has(k)))}</tr>`,
  );
  return html`<table class="t1" id="table1-grid">
<thead>
<tr><th rowspan="3" class="rowhead">Class</th>${bandRow}</tr>
<tr>${groupRow}</tr>
<tr>${colRow}</tr>
</thead>
<tbody>
${body}
</tbody>
</table>`;
}
