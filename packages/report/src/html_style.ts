import { html, rawHtml, type HtmlValue, type SafeHtml } from './view/html.js';

/** The report's stylesheet; the UI (`exp ui`) uses it too, so both read alike. */
export const REPORT_STYLE = `
:root { --ink: #1d1d1f; --muted: #6b6b70; --rule: #d8d8dc; --paper-bg: #f7f3e8; --paper-ink: #5a4a1e;
  --switch: #0b5d9e; --ratio: #c4421a; --bad: #b3261e; --warn: #8a5a00; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 15px/1.55 Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, "Liberation Serif", "DejaVu Serif", serif; }
main { max-width: 1480px; margin: 0 auto; padding: 36px 40px 64px; }
.prose { max-width: 860px; }
h1 { font-size: 27px; line-height: 1.25; margin: 4px 0 10px; font-weight: 600; }
h2 { font-size: 20px; margin: 44px 0 8px; padding-top: 14px; border-top: 1px solid var(--rule); font-weight: 600; }
h3 { font-size: 16px; margin: 26px 0 6px; font-weight: 600; }
p { margin: 6px 0 10px; }
code, .mono { font-family: "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; font-size: 0.84em; }
.kicker { text-transform: uppercase; letter-spacing: 0.08em; font-size: 12px; color: var(--muted); margin: 0; }
.meta { color: var(--muted); font-size: 14px; }
.caption { font-size: 13.5px; color: #333; max-width: 980px; }
.caption b { font-weight: 600; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; margin: 10px 0 0; padding: 0; list-style: none; }
.chip { font-size: 12.5px; padding: 1px 9px; border-radius: 10px; border: 1px solid var(--rule); }
.chip.completed { border-color: #9cc59c; background: #f1f8f1; }
.chip.bad { border-color: #e2a39e; background: #fcf1f0; color: var(--bad); }
.chip.warn { border-color: #e3c58a; background: #fdf7ea; color: var(--warn); }
.warnings { margin: 14px 0 0; padding: 10px 14px 10px 30px; background: #fdf7ea; border-left: 3px solid #e0b653; font-size: 13.5px; max-width: 1100px; }
.warnings li { margin: 2px 0; }
nav.toc { font-size: 14px; margin: 18px 0 0; color: var(--muted); }
nav.toc a { color: inherit; margin-right: 14px; text-decoration: none; border-bottom: 1px dotted #aaa; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums lining-nums; }
.table-wrap { overflow-x: auto; margin: 10px 0 6px; }
table.data { font-size: 13px; margin: 8px 0; }
table.data th, table.data td { padding: 3px 10px; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
table.data thead th { border-bottom: 1.5px solid var(--ink); font-weight: 600; white-space: nowrap; }
table.data thead tr.super th { border-bottom: 1px solid var(--rule); text-align: center; font-weight: 600; }
table.data td.num, table.data th.num { text-align: right; white-space: nowrap; }
table.data tbody tr:last-child td, table.data tbody tr:last-child th { border-bottom: 1.5px solid var(--ink); }
table.data td .s { display: block; font-size: 11px; color: var(--muted); }
table.data td.best .m { font-weight: 700; }
/* Table 1 */
table.t1 { font-size: 12px; border-top: 1.5px solid var(--ink); border-bottom: 1.5px solid var(--ink); }
table.t1 th, table.t1 td { padding: 2px 4px; }
table.t1 thead th { font-weight: 600; text-align: center; white-space: nowrap; }
table.t1 thead th.band { font-size: 12.5px; padding-top: 5px; }
table.t1 thead th.group { font-weight: normal; font-style: italic; border-bottom: 1px solid var(--rule); }
table.t1 thead tr:last-child th { border-bottom: 1px solid var(--ink); font-weight: normal; }
table.t1 th.rowhead { text-align: left; vertical-align: bottom; border-bottom: 1px solid var(--ink); }
table.t1 tbody th { text-align: left; font-weight: normal; white-space: nowrap; padding-right: 10px; }
table.t1 td.num { text-align: right; white-space: nowrap; vertical-align: top; min-width: 42px; }
table.t1 td .m { display: block; }
table.t1 td .s { display: block; font-size: 10px; line-height: 1.15; color: var(--muted); }
table.t1 td .s.warn, table.data td .s.warn { color: var(--warn); }
table.t1 td.best .m, table.t1 td.best.paper { font-weight: 700; }
table.t1 td.delta { color: #1f5f2a; }
table.t1 td.delta.neg { color: var(--bad); }
table.t1 .sep { border-left: 1px solid var(--rule); }
table.t1 .band.sep { border-left: 1px solid var(--rule); }
table.t1 .paper { background: var(--paper-bg); color: var(--paper-ink); }
table.t1 td.delta.paper { color: #4f6b2a; }
table.t1 td.delta.paper.neg { color: var(--bad); }
table.t1 thead th.paper.band { border-left: 3px double #c9b98a; }
table.t1 tbody tr.row-class:nth-child(even) td:not(.paper), table.t1 tbody tr.row-class:nth-child(even) th { background: #fafafa; }
table.t1 tr.row-void th, table.t1 tr.row-void td { border-top: 1px solid var(--rule); }
table.t1 tr.row-average th, table.t1 tr.row-average td { border-top: 1px solid var(--ink); }
table.t1 tr.row-average th { font-weight: 600; }
table.t1 tr.row-miou19 th, table.t1 tr.row-miou19 td { font-style: italic; }
td.status { font-style: italic; font-size: 11px; color: var(--bad); text-align: center !important; }
td.status .s { color: var(--bad) !important; opacity: 0.8; }
td.status-running, td.status-incomplete { color: var(--warn); }
td.undef { color: var(--muted); text-align: center !important; }
.headline td, .headline th { font-size: 13.5px; }
.headline .claimed { background: var(--paper-bg); color: var(--paper-ink); }
.figures { display: flex; flex-wrap: wrap; gap: 22px 36px; align-items: flex-start; }
figure { margin: 12px 0; }
figure.chart { flex: 0 1 auto; }
figure figcaption { font-size: 13px; color: #333; max-width: 600px; margin-top: 4px; }
figure figcaption b { font-weight: 600; }
.vega-embed { display: block; }
.vega-embed summary { display: none; }
.qual { display: grid; gap: 4px 8px; align-items: start; margin: 8px 0 4px; }
.qual .head { font-size: 12px; color: var(--muted); text-align: center; }
.qual .rowlabel { font-size: 12px; line-height: 1.35; padding-right: 6px; }
.qual .rowlabel b { font-weight: 600; }
.qual img { width: 100%; height: auto; image-rendering: pixelated; display: block; border: 1px solid #ddd; }
.qual .noimg { font-size: 11px; color: var(--bad); border: 1px dashed #e2a39e; padding: 8px; text-align: center; }
.gain-pos { color: #1f5f2a; } .gain-neg { color: var(--bad); }
.status-chip { font-size: 11.5px; padding: 0 6px; border-radius: 8px; white-space: nowrap; }
.status-chip.completed { background: #eaf5ea; color: #245c24; }
.status-chip.failed, .status-chip.diverged, .status-chip.missing { background: #fbeceb; color: var(--bad); }
.status-chip.running, .status-chip.incomplete, .status-chip.shadowed, .status-chip.not-in-grid { background: #fdf4e1; color: var(--warn); }
tr.problems td { color: var(--bad); font-size: 12px; border-bottom: 1px solid #eee; padding-top: 0; }
tr.problems td ul { margin: 0; padding-left: 18px; }
.two-col { display: flex; flex-wrap: wrap; gap: 10px 40px; align-items: flex-start; }
dl.meta-list { display: grid; grid-template-columns: max-content auto; gap: 0 14px; font-size: 12.5px; margin: 6px 0; }
dl.meta-list dt { color: var(--muted); } dl.meta-list dd { margin: 0; }
details { font-size: 13.5px; margin: 8px 0; max-width: 980px; }
details summary { cursor: pointer; color: var(--muted); }
footer { margin-top: 48px; padding-top: 12px; border-top: 1px solid var(--rule); font-size: 12.5px; color: var(--muted); }
@media print { main { max-width: none; padding: 0; } h2 { break-before: auto; } .table-wrap { overflow: visible; } }
table.bench caption { caption-side: top; text-align: left; font-size: 12.5px; color: var(--muted); padding: 0 0 4px; }
td.pruned { color: var(--muted); font-style: italic; }
`;

/** The `<head>` of every report page: one stylesheet, the page's title and its (inlined) scripts. */
export function reportHead(title: string, scripts: HtmlValue = ''): SafeHtml {
  return html`<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="@unpool/report">
<title>${title}</title>
<style>${rawHtml(REPORT_STYLE)}</style>
${scripts}
</head>`;
}
