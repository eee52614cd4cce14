import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startUiServer } from '@unpool/ui';
import { parse, UsageError } from '../args.js';
import { repoRoot } from '../load_experiment.js';

export const uiUsage = 'exp ui [--runs runs/]... [--port 4173] [--host 127.0.0.1] [--open] [--no-committed]';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** `reports/<x>/runs` and `reports/<x>/<y>/runs`: the committed results, shown beside the live ones. */
export function committedRunsRoots(reportsDir: string): string[] {
  if (!fs.existsSync(reportsDir)) return [];
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!d.isDirectory() || d.name.startsWith('.')) continue;
      const sub = path.join(dir, d.name);
      if (d.name === 'runs') found.push(sub);
      else if (depth < 3) walk(sub, depth + 1);
    }
  };
  walk(reportsDir, 1);
  return found.sort();
}

export async function uiCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('ui', argv, {
    runs: { type: 'string', multiple: true },
    port: { type: 'string', default: '4173' },
    host: { type: 'string', default: '127.0.0.1' },
    open: { type: 'boolean', default: false },
    'no-committed': { type: 'boolean', default: false },
  });
  if (positionals.length) throw new UsageError(`usage: ${uiUsage}`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: expected 0-65535, got '${values.port}'`);
  const reportsDir = path.join(repoRoot(), 'reports');
  const roots = [...(values.runs ?? ['runs']).map((r) => path.resolve(r)), ...(values['no-committed'] ? [] : committedRunsRoots(reportsDir))].filter(
    (r, i, all) => all.indexOf(r) === i,
  );
  const host = values.host!;
  const server = await startUiServer({ roots, reportsDir, host, port, pathBase: repoRoot() });
  if (!LOOPBACK.has(host)) {
    process.stderr.write(
      `\n!!! exp ui: listening on ${host}, NOT only on this machine: anyone who can reach this address can read\n!!! every run folder under the roots below (read-only). Use --host 127.0.0.1 to keep it local.\n\n`,
    );
  }
  process.stderr.write(`exp ui: ${server.url} (read-only) over ${roots.map((r) => path.relative(process.cwd(), r) || '.').join(', ')}; Ctrl-C to stop\n`);
  if (values.open) {
    // Best effort: a headless machine has no opener, and the URL is printed above anyway.
    spawn('xdg-open', [server.url], { stdio: 'ignore', detached: true }).on('error', () => process.stderr.write('exp ui: could not run xdg-open; open the URL yourself\n')).unref();
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
