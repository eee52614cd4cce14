import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect, test } from 'vitest';
import { committedRunsRoots } from '../src/commands/ui.js';

const root = path.resolve(__dirname, '../../..');

/** Starts `exp ui`, returns its stderr once it printed its URL (or exited), then stops it. */
async function uiBanner(args: string[]): Promise<{ stderr: string; url: string | null }> {
  const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['--conditions=@unpool/source', path.join(root, 'packages/cli/src/main.ts'), 'ui', ...args], { cwd: root, detached: true });
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const url = await new Promise<string | null>((resolve) => {
      child.stderr.on('data', (c) => {
        stderr += c;
        const m = /exp ui: (http:\/\/\S+\/)/.exec(stderr);
        if (m) resolve(m[1]);
      });
      void exited.then(() => resolve(null));
    });
    if (url) {
      const res = await fetch(url.replace('0.0.0.0', '127.0.0.1'));
      expect(res.status).toBe(200);
    }
    return { stderr, url };
  } finally {
    if (child.exitCode === null) {
      process.kill(-child.pid!, 'SIGINT');
      await exited;
    }
  }
}

test('`exp ui` binds 127.0.0.1 by default and warns loudly when told to bind elsewhere', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exp-ui-cli-'));
  try {
    const local = await uiBanner(['--runs', dir, '--port', '0', '--no-committed']);
    expect(local.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(local.stderr).not.toMatch(/NOT only on this machine/);
    const open = await uiBanner(['--runs', dir, '--port', '0', '--no-committed', '--host', '0.0.0.0']);
    expect(open.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/$/);
    expect(open.stderr).toMatch(/listening on 0\.0\.0\.0, NOT only on this machine/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the committed runs roots are found under reports/', () => {
  const roots = committedRunsRoots(path.join(root, 'reports')).map((r) => path.relative(root, r));
  expect(roots).toContain(path.join('reports', 'ablation', 'runs'));
  expect(roots).toContain(path.join('reports', 'ablation', 'cpu-1k', 'runs'));
});
