import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { displayPath, html } from '@unpool/report';
import { page } from './pages/layout.js';
import { handleRequest, runsEvent, send, type RouteContext } from './routes.js';
import { RunsState } from './runs_state.js';

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

/** Starts the read-only UI server; resolves once it listens. Binds 127.0.0.1 unless `host` says otherwise. */
export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const roots = options.roots.map((r) => path.resolve(r));
  const base = options.pathBase ?? process.cwd();
  const ctx: RouteContext = {
    state: new RunsState(roots),
    roots,
    rootNames: roots.map((r) => displayPath(r, base)),
    reportsDir: options.reportsDir,
    clients: new Set(),
  };
  ctx.state.refresh();
  // Polling the files' signature (not fs.watch) works the same on every file system, NFS included.
  // Requests refresh the state too, so what was sent is tracked by version rather than by this tick's refresh.
  let sent = ctx.state.snapshot.version;
  const timer = setInterval(() => {
    try {
      ctx.state.refresh();
      if (ctx.state.snapshot.version !== sent) {
        const msg = runsEvent(ctx, sent);
        sent = ctx.state.snapshot.version;
        for (const c of ctx.clients) c.write(msg);
      }
    } catch (err) {
      // A folder vanishing mid-scan: the next tick reads it again.
      process.stderr.write(`ui: ${(err as Error).message}\n`);
    }
  }, options.pollMs ?? 1000);

  const server = http.createServer((req, res) => {
    try {
      handleRequest(ctx, req, res);
    } catch (err) {
      // A page that cannot be drawn says why instead of dropping the connection.
      if (!res.headersSent) send(res, 500, 'text/html; charset=utf-8', page({ title: 'Error' }, html`<h1>Error</h1><pre>${(err as Error).stack ?? String(err)}</pre>`));
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
        for (const c of ctx.clients) c.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

