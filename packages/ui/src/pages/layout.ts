import { html, rawHtml, REPORT_STYLE, type HtmlValue, type SafeHtml } from '@unpool/report';

/** The UI's additions to the report's stylesheet (same type, tables and status chips). */
const UI_STYLE = `
main { max-width: 1600px; padding-top: 18px; }
header.bar { display: flex; gap: 18px; align-items: baseline; border-bottom: 1px solid var(--rule); padding-bottom: 8px; margin-bottom: 12px; }
header.bar a { color: inherit; }
header.bar .brand { font-weight: 600; text-decoration: none; }
.live { font-size: 12px; color: var(--muted); }
.live.on::before { content: "●"; color: #2e7d32; margin-right: 4px; }
.live.off::before { content: "●"; color: var(--bad); margin-right: 4px; }
table.runs { font-size: 12.5px; }
table.runs th { cursor: pointer; user-select: none; }
table.runs th[aria-sort="ascending"]::after { content: " ▲"; font-size: 9px; }
table.runs th[aria-sort="descending"]::after { content: " ▼"; font-size: 9px; }
table.runs tr.filters th { cursor: default; padding: 2px 4px; }
table.runs tr.filters input { width: 100%; min-width: 48px; font: inherit; font-size: 11.5px; padding: 1px 4px; border: 1px solid var(--rule); }
table.runs td a { color: inherit; white-space: nowrap; }
table.data th .s { display: block; font-size: 11px; font-weight: normal; color: var(--muted); }
h1.mono { font-size: 24px; }
.bar-outer { display: inline-block; width: 70px; height: 7px; background: #eee; border-radius: 3px; vertical-align: middle; margin-right: 6px; }
.bar-inner { display: block; height: 100%; background: #5b8fd1; border-radius: 3px; }
.status-chip.stale-lock, .status-chip.interrupted, .status-chip.unreadable { background: #fbeceb; color: var(--bad); }
.status-chip.starting { background: #fdf4e1; color: var(--warn); }
tr.has-problems td.problems-cell { color: var(--bad); font-size: 11.5px; }
.toolbar { display: flex; gap: 14px; align-items: center; margin: 8px 0; font-size: 13px; }
.problems-box { background: #fcf1f0; border-left: 3px solid var(--bad); padding: 8px 14px 8px 28px; font-size: 13px; }
pre.config { font-size: 12px; background: #f8f8f8; padding: 10px; max-height: 420px; overflow: auto; }
code.cmd { display: block; background: #f4f4f4; padding: 8px 10px; white-space: pre-wrap; }
.samples { display: grid; grid-template-columns: repeat(4, minmax(120px, 1fr)); gap: 6px; max-width: 1000px; }
.samples img { width: 100%; image-rendering: pixelated; border: 1px solid #ddd; }
.samples .head { font-size: 12px; color: var(--muted); }
td.delta-pos { color: #1f5f2a; } td.delta-neg { color: var(--bad); }
`;

export interface PageOptions {
  title: string;
  /** Load the vega bundles (pages with charts). */
  charts?: boolean;
  /** Script run after the page (trusted code from this package). */
  script?: string;
}

/** The frame of every page: bar with links, the live indicator, styles; escaped by the template. */
export function page(o: PageOptions, body: HtmlValue): string {
  const vega = o.charts ? html`<script src="/assets/vega.js"></script><script src="/assets/vega-lite.js"></script><script src="/assets/vega-embed.js"></script>` : '';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="@unpool/ui">
<link rel="icon" href="data:,">
<title>${o.title}</title>
<style>${rawHtml(REPORT_STYLE)}${rawHtml(UI_STYLE)}</style>
${vega}
</head>
<body>
<main>
<header class="bar"><a class="brand" href="/">Runs</a><a href="/reports/">Reports</a><span class="live off" id="live">connecting…</span></header>
${body}
</main>
<script src="/assets/ui.js"></script>
${o.script ? html`<script>${rawHtml(o.script)}</script>` : ''}
</body>
</html>
`.value;
}

export function statusChip(status: string): SafeHtml {
  return html`<span class="status-chip ${status.replace(/[^a-z]+/g, '-')}">${status}</span>`;
}
