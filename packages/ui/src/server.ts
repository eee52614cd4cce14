import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { displayPath, loadVegaAssets } from '@unpool/report';
import { CLIENT_SCRIPT } from './client_script.js';
import { comparePage, type Compared } from './pages/compare_page.js';
import { page } from './pages/layout.js';
import { runPage } from './pages/run_page.js';
import { groupsTableHtml, runsPage, runsTableHtml } from './pages/runs_page.js';
import { runCharts } from './run_charts.js';
import { RunsState } from './runs_state.js';
import { fileInside, urlSegments } from './safe_path.js';
import { html } from '@unpool/report';

export interface UiServerOptions {
  /** Runs roots, each holding `<experiment>/<runId>/` folders. */
  roots: string[];
  /** Folder of rendered reports (`reports/`), linked and served read-only; omit for none. */
  reportsDir?: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** How often the run folders are checked for changes. */
  pollMs?: number;
  /** Paths are shown relative to this folder (the repository root). */
  pathBase?: string;
}

export interface UiServer {
  url: string;
  port: number;
  close(): Promise<void>;
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
};

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // Nothing is fetched from anywhere but this server (the vega bundles are served by it too).
  'Content-Security-Policy': "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
};

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...SECURITY_HEADERS });
  res.end(body);
}

function notFound(res: http.ServerResponse, what = 'Not found'): void {
  send(res, 404, 'text/html; charset=utf-8', page({ title: 'Not found' }, html`<h1>404</h1><p>${what}</p>`));
}

/** Folders below `dir` (two levels) that hold an index.html: the rendered reports. */
function listReports(dir: string | undefined): string[] {
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

/** Starts the read-only UI server; resolves once it listens. */
export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const roots = options.roots.map((r) => path.resolve(r));
  const base = options.pathBase ?? process.cwd();
  const rootNames = roots.map((r) => displayPath(r, base));
  const state = new RunsState(roots);
  state.refresh();
  const clients = new Set<http.ServerResponse>();
  let assets: Map<string, string> | null = null;
  const asset = (name: string): string | undefined => {
    assets ??= new Map(loadVegaAssets().scripts.map((s) => [s.name, s.code]));
    return assets.get(name);
  };

  const eventData = () => {
    const s = state.snapshot;
    const t = runsTableHtml(s.rows, rootNames);
    return JSON.stringify({ version: s.version, changed: s.changed, head: t.head.value, body: t.body.value, groups: groupsTableHtml(s.rows).value });
  };
  const timer = setInterval(() => {
    try {
      if (state.refresh() && clients.size) {
        const msg = `event: runs\ndata: ${eventData()}\n\n`;
        for (const c of clients) c.write(msg);
      }
    } catch (err) {
      // A folder vanishing mid-scan: the next tick reads it again.
      process.stderr.write(`ui: ${(err as Error).message}\n`);
    }
  }, options.pollMs ?? 1000);

  const lookup = (key: string) => {
    const run = state.snapshot.records.get(key);
    const row = state.snapshot.rows.find((r) => r.key === key);
    return run && row ? { run, row } : null;
  };

  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'read-only: GET only\n');
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const segs = urlSegments(q >= 0 ? raw.slice(0, q) : raw);
    const params = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
    if (!segs) return notFound(res, 'No such path.');
    const [head, ...rest] = segs;
    state.refresh();
    switch (head) {
      case '':
        return send(res, 200, TYPES['.html'], runsPage(state.snapshot.rows, rootNames, listReports(options.reportsDir)));
      case 'run': {
        const hit = lookup(rest.join('/'));
        if (!hit) return notFound(res, `No run ${rest.join('/')}.`);
        return send(res, 200, TYPES['.html'], runPage(hit.run, hit.row, rootNames[hit.row.rootIndex]));
      }
      case 'compare': {
        const picked = params.getAll('run').map(lookup).filter((x): x is Compared => x !== null);
        if (picked.length < 2) return send(res, 400, TYPES['.html'], page({ title: 'Compare' }, html`<h1>Compare</h1><p>Pick two or more runs in the <a href="/">runs table</a>.</p>`));
        return send(res, 200, TYPES['.html'], comparePage(picked));
      }
      case 'api': {
        if (rest[0] === 'runs') return send(res, 200, TYPES['.json'], JSON.stringify(state.snapshot.rows));
        const hit = rest[0] === 'run' ? lookup(params.get('key') ?? '') : null;
        if (!hit) return notFound(res);
        return send(res, 200, TYPES['.json'], JSON.stringify({ row: hit.row, charts: runCharts([{ label: hit.row.runId, run: hit.run }]) }));
      }
      case 'events': {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', ...SECURITY_HEADERS });
        res.write(`retry: 2000\nevent: runs\ndata: ${eventData()}\n\n`);
        clients.add(res);
        req.on('close', () => clients.delete(res));
        return;
      }
      case 'assets': {
        if (rest[0] === 'ui.js') return send(res, 200, 'text/javascript; charset=utf-8', CLIENT_SCRIPT);
        const code = rest.length === 1 ? asset(rest[0].replace(/\.js$/, '')) : undefined;
        return code ? send(res, 200, 'text/javascript; charset=utf-8', code) : notFound(res);
      }
      case 'files': {
        const i = Number(rest[0]);
        const file = Number.isInteger(i) && i >= 0 && i < roots.length ? fileInside(roots[i], rest.slice(1)) : null;
        return file ? send(res, 200, TYPES[path.extname(file)] ?? 'application/octet-stream', fs.readFileSync(file)) : notFound(res);
      }
      case 'reports': {
        if (rest.length === 0 || (rest.length === 1 && rest[0] === '')) {
          const reports = listReports(options.reportsDir);
          return send(res, 200, TYPES['.html'], page({ title: 'Reports' }, html`<h1>Reports</h1><ul>${reports.map((r) => html`<li><a href="/reports/${r}/index.html">${r}</a></li>`)}</ul>`));
        }
        const file = options.reportsDir ? fileInside(options.reportsDir, rest) : null;
        return file ? send(res, 200, TYPES[path.extname(file)] ?? 'application/octet-stream', fs.readFileSync(file)) : notFound(res);
      }
      default:
        return notFound(res);
    }
  };

  const server = http.createServer((req, res) => {
    try {
      handle(req, res);
    } catch (err) {
      // A page that cannot be drawn says why instead of dropping the connection.
      if (!res.headersSent) send(res, 500, TYPES['.html'], page({ title: 'Error' }, html`<h1>Error</h1><pre>${(err as Error).stack ?? String(err)}</pre>`));
      else res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4173, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        for (const c of clients) c.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
