import { cellStatusText, fmt, fmtSigned, typeset } from './format.js';
import { claimedGain } from './headline.js';
import type { ReportModel } from './report_model.js';
import type { VariantCell } from './variant_cell.js';
import { html, type SafeHtml } from './view/html.js';

/** Claimed (paper) vs reproduced gain of ratio over switch unpooling, per pair and evaluation set. */
export function headlineHtml(model: ReportModel): SafeHtml {
  if (model.table1.gains.length === 0) return html``;
  const headline = model.headline;
  const ours = (c: VariantCell) => (c.kind === 'stats' ? fmt(c.stats.mean) : cellStatusText(c));
  const orDash = (x: number | null, f: (x: number) => string) => (x === null ? '—' : f(x));
  const rows = model.table1.gains.map((g, i) => {
    const claimed = claimedGain(g);
    const p = g.paired;
    const oursDelta =
      p === null
        ? html`<span class="mono">—</span>`
        : html`<b class="${Number(fmt(p.mean)) < 0 ? 'gain-neg' : 'gain-pos'}">${typeset(fmtSigned(p.mean))}</b> <span class="meta">${
            p.ci95 ? typeset(`[${fmtSigned(p.ci95.low)}, ${fmtSigned(p.ci95.high)}]`) : 'no interval'
          }</span>`;
    const n = p === null ? '0' : `${p.n}`;
    return html`${i ? '\n' : ''}<tr><th>${g.paperLabel} ↔ ${g.set}, ${g.pairLabel}</th><td class="num claimed">${orDash(g.paperSwitch, fmt)} → ${orDash(g.paperRatio, fmt)}</td><td class="num claimed"><b>${orDash(claimed, (x) =>
      typeset(fmtSigned(x)),
    )}</b></td><td class="num">${ours(g.switchCell)} → ${ours(g.ratioCell)}</td><td class="num">${oursDelta}</td><td class="num">${n}</td></tr>`;
  });
  return html`
<table class="data headline" id="headline">
<thead><tr class="super"><th></th><th colspan="2" class="claimed">Claimed (paper)</th><th colspan="3">Reproduced (this report)</th></tr>
<tr><th>Comparison</th><th class="num claimed">switch → ratio</th><th class="num claimed">gain</th><th class="num">switch → ratio</th><th class="num">gain (paired, 95% CI)</th><th class="num">n</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<p class="caption">The Average row of Table 1 (mean IoU over 19 classes + Void, in percent), paper vs this reproduction. Reproduced switch → ratio values are means over seeds; the reproduced gain is the mean of the paired per-seed differences (same seed = same data order and initialisation) with its 95% t interval (n − 1 degrees of freedom); with one seed there is no interval. The claimed columns are the paper's numbers (single runs on real data), not ours.</p>
${headline ? html`<p class="headline-sentence" id="headline-sentence">${headline}</p>` : ''}`;
}

export function chartFigure(id: string, title: string, caption: string): SafeHtml {
  return html`<figure class="chart"><div id="chart-${id}" class="chart-host" role="img" aria-label="${title}"></div><figcaption><b>${title}.</b> ${caption}</figcaption></figure>`;
}

/** The qualitative figures: per chosen image, input, truth and each variant's prediction (and entropy). */
export function qualitativeHtml(model: ReportModel): SafeHtml {
  if (model.qualitative.length === 0) {
    return html`<p class="caption">No qualitative figures: no seed has both a completed switch and a completed ratio run with saved samples (<code>samples/index.json</code>).</p>`;
  }
  return html`${model.qualitative.map((f, fi) => {
    const heads = f.rows[0]?.images.map((im) => im.caption) ?? [];
    const cols = `minmax(150px, 190px) repeat(${heads.length}, minmax(120px, 1fr))`;
    const body = f.rows.map(({ pick, images }, ri) => {
      const gainCls = pick.gain < 0 ? 'gain-neg' : 'gain-pos';
      const label = html`<div class="rowlabel"><b>${pick.rules.join(', ')}</b><br>image <span class="mono">${pick.id}</span><br>mIoU ${fmt(pick.switchMiou * 100, 1)} → ${fmt(pick.ratioMiou * 100, 1)} <span class="${gainCls}">(${typeset(
        fmtSigned(pick.gain * 100, 1),
      )})</span></div>`;
      const imgs = images.map((im) => (im.uri ? html`<img src="${im.uri}" alt="${`${im.caption}, image ${pick.id}`}">` : html`<div class="noimg">${im.caption}: file missing</div>`));
      return html`${ri ? '\n' : ''}${label}${imgs}`;
    });
    return html`${fi ? '\n' : ''}
<figure class="qualitative" data-set="${f.set}">
<div class="qual" style="grid-template-columns: ${cols}"><div class="head"></div>${heads.map((h) => html`<div class="head">${h}</div>`)}
${body}
</div>
<figcaption><b>Fig. Q${fi + 1}. ${f.pairLabel} on ${f.setLabel}, seed ${f.seed}</b> (${f.switchVariant} vs ${f.ratioVariant}; chosen from ${f.candidates} candidate image${f.candidates === 1 ? '' : 's'}). mIoU per image in percent, ratio − switch in parentheses.</figcaption>
</figure>`;
  })}`;
}
