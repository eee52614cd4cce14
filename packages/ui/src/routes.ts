import * as fs from 'node:fs';
import type * as http from 'node:http';
import * as path from 'node:path';
import { html, loadVegaAssets } from '@unpool/report';
import { CLIENT_SCRIPT } from './client_script.js';
import { comparePage, type Compared } from './pages/compare_page.js';
import { page } from './pages/layout.js';
import { runPage } from './pages/run_page.js';
import { groupsTableHtml, runsPage, runsTableHtml } from './pages/runs_page.js';
import { runCharts } from './run_charts.js';
import type { RunsState } from './runs_state.js';
import { fileInside, urlSegments } from './safe_path.js';

/** What the routes read: the runs as last scanned, where files may be served from, the open event streams. */
export interface RouteContext {
  state: RunsState;
  roots: readonly string[];
  /** The roots as pages show them (repo-relative). */
  rootNames: readonly string[];
  reportsDir?: string;
  clients: Set<http.ServerResponse>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.jsonl': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.csv': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.js': 'text/javascript; charset=utf-8',
};

export const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // Nothing is fetched from anywhere but this server (the vega bundles are served by it too).
  'Content-Security-Policy': "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
};

export function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...SECURITY_HEADERS });
  res.end(body);
}

function notFound(res: http.ServerResponse, what = 'Not found.'): void {
  send(res, 404, TYPES['.html'], page({ title: 'Not found' }, html`<h1>404</h1><p>${what}</p>`));
}

function sendFile(res: http.ServerResponse, file: string | null): void {
  if (!file) return notFound(res);
  send(res, 200, TYPES[path.extname(file)] ?? 'application/octet-stream', fs.readFileSync(file));
}

/** Folders below `dir` (two levels) that hold an index.html: the rendered reports. */
export function listReports(dir: string | undefined): string[] {
  if (!dir || !fs.existsSync(dir)) return [];
  const found: string[] = [];
  const walk = (rel: string, depth: number) => {
    for (const d of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      if (!d.isDirectory() || d.name.startsWith('.') || d.name === 'runs') continue;
      const sub = rel ? `${rel}/${d.name}` : d.name;
      if (fs.existsSync(path.join(dir, sub, 'index.html'))) found.push(sub);
      if (depth < 2) walk(sub, depth + 1);
    }
  };
  walk('', 1);
  return found.sort();
}

/** The `runs` event: the table's header, body and groups as rendered markup, and which runs changed after `since`. */
export function runsEvent(ctx: RouteContext, since: number): string {
  const s = ctx.state.snapshot;
  const t = runsTableHtml(s.rows, ctx.rootNames);
  const data = JSON.stringify({ version: s.version, changed: ctx.state.changedSince(since), head: t.head.value, body: t.body.value, groups: groupsTableHtml(s.rows).value });
  return `event: runs\ndata: ${data}\n\n`;
}

let vegaScripts: Map<string, string> | null = null;
function vegaScript(name: string): string | undefined {
  vegaScripts ??= new Map(loadVegaAssets().scripts.map((s) => [s.name, s.code]));
  return vegaScripts.get(name);
}

function lookup(ctx: RouteContext, key: string): Compared | null {
  const run = ctx.state.snapshot.records.get(key);
  const row = ctx.state.snapshot.rows.find((r) => r.key === key);
  return run && row ? { run, row } : null;
}

/** Every route of the UI; GET and HEAD only, and files only from inside the runs roots or the reports folder. */
export function handleRequest(ctx: RouteContext, req: http.IncomingMessage, res: http.ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'read-only: GET only\n');
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  const segs = urlSegments(q >= 0 ? raw.slice(0, q) : raw);
  const params = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
  if (!segs) return notFound(res, 'No such path.');
  const [head, ...rest] = segs;
  ctx.state.refresh();
  switch (head) {
    case '':
      return send(res, 200, TYPES['.html'], runsPage(ctx.state.snapshot.rows, ctx.rootNames, listReports(ctx.reportsDir)));
    case 'run': {
      const hit = lookup(ctx, rest.join('/'));
      if (!hit) return notFound(res, `No run ${rest.join('/')}.`);
      return send(res, 200, TYPES['.html'], runPage(hit.run, hit.row, ctx.rootNames[hit.row.rootIndex]));
    }
    case 'compare': {
      const picked = params.getAll('run').map((k) => lookup(ctx, k)).filter((x): x is Compared => x !== null);
      if (picked.length < 2) return send(res, 400, TYPES['.html'], page({ title: 'Compare' }, html`<h1>Compare</h1><p>Pick two or more runs in the <a href="/">runs table</a>.</p>`));
      return send(res, 200, TYPES['.html'], comparePage(picked));
    }
    case 'api': {
      if (rest[0] === 'runs') return send(res, 200, TYPES['.json'], JSON.stringify(ctx.state.snapshot.rows));
      const hit = rest[0] === 'run' ? lookup(ctx, params.get('key') ?? '') : null;
      if (!hit) return notFound(res);
      return send(res, 200, TYPES['.json'], JSON.stringify({ row: hit.row, charts: runCharts([{ label: hit.row.runId, run: hit.run }]) }));
    }
    case 'events':
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', ...SECURITY_HEADERS });
      res.write(`retry: 2000\n${runsEvent(ctx, ctx.state.snapshot.version)}`);
      ctx.clients.add(res);
      req.on('close', () => ctx.clients.delete(res));
      return;
    case 'assets': {
      const code = rest.length !== 1 ? undefined : rest[0] === 'ui.js' ? CLIENT_SCRIPT : vegaScript(rest[0].replace(/\.js$/, ''));
      return code ? send(res, 200, TYPES['.js'], code) : notFound(res);
    }
    case 'files': {
      const i = Number(rest[0]);
      return sendFile(res, Number.isInteger(i) && i >= 0 && i < ctx.roots.length ? fileInside(ctx.roots[i], rest.slice(1)) : null);
    }
    case 'reports':
      if (rest.length === 0 || (rest.length === 1 && rest[0] === '')) {
        const reports = listReports(ctx.reportsDir);
        return send(res, 200, TYPES['.html'], page({ title: 'Reports' }, html`<h1>Reports</h1><ul>${reports.map((r) => html`<li><a href="/reports/${r}/index.html">${r}</a></li>`)}</ul>`));
      }
      return sendFile(res, ctx.reportsDir ? fileInside(ctx.reportsDir, rest) : null);
    default:
      return notFound(res);
  }
}
