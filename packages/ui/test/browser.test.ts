import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUiServer, type UiServer } from '../src/index.js';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.js';
import { HOSTILE, makeFixture, REPO_ROOT, writeLiveExperiment, type Fixture } from './fixture.js';


/** GET with the path sent exactly as written (fetch and URL would normalise an encoded `..` away). */
function rawGet(port: number, rawPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: rawPath }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

describe('exp ui in headless Chromium', () => {
  let fx: Fixture;
  let liveRoot: string;
  let server: UiServer;
  let browser: Browser;
  const errors: string[] = [];

  async function open(url: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${url}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`${url}: ${e.message}`));
    await page.goto(server.url + url.replace(/^\//, ''));
    return page;
  }

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not at ${CHROMIUM}: apt-get install chromium, or set UNPOOL_CHROMIUM.`);
    fx = makeFixture();
    liveRoot = path.join(fx.dir, 'live-runs');
    fs.mkdirSync(liveRoot);
    server = await startUiServer({ roots: [fx.root, liveRoot], port: 0, pollMs: 250, pathBase: REPO_ROOT });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (fx) fs.rmSync(fx.dir, { recursive: true, force: true });
  });

  it('lists every run of the runs folder, problems shown and markup escaped', async () => {
    const page = await open('/');
    const keys = await page.$$eval('#runs-body tr', (trs) => trs.map((tr) => tr.getAttribute('data-key')));
    expect(keys.sort()).toEqual(fx.runIds.map((id) => `0/ablation/${id}`).sort());
    const torn = page.locator('tr[data-key="0/ablation/torn-s1-0000beef"]');
    await expect(torn.getAttribute('data-status')).resolves.toBe('unreadable');
    await expect(torn.locator('details.problems summary').innerText()).resolves.toMatch(/problem/);
    const tornProblems = await torn.locator('details.problems li').allTextContents();
    expect(tornProblems.join('\n')).toMatch(/result\.json/);
    expect(tornProblems.join('\n')).toMatch(/metrics\.jsonl/);
    const hostile = page.locator('tr[data-key="0/ablation/hostile-s2-0000dead"]');
    await expect(hostile.locator('td').nth(3).innerText()).resolves.toBe(HOSTILE);
    await expect(hostile.getAttribute('data-status')).resolves.toBe('failed');
    expect(await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
    // Sorting by seed (descending after two clicks) puts the hostile run (seed 2) first.
    await page.locator('#runs thead tr.labels th', { hasText: /^seed$/ }).click();
    await page.locator('#runs thead tr.labels th', { hasText: /^seed$/ }).click();
    await expect(page.locator('#runs-body tr').first().getAttribute('data-key')).resolves.toBe('0/ablation/hostile-s2-0000dead');
    // Filtering on the variant column.
    // Filtering on the variant column (the torn run's config is a copy of the ratio run's).
    await page.locator('#runs thead input[data-col="3"]').fill('switch');
    const shown = await page.$$eval('#runs-body tr:not([hidden])', (trs) => trs.map((tr) => tr.getAttribute('data-key')));
    expect(shown).toEqual([`0/ablation/${fx.runIds.find((x) => x.startsWith('switch'))}`]);
    await page.close();
  });

  it('shows a run page with its curves, per-class table and files', async () => {
    const id = fx.runIds.find((x) => x.startsWith('ratio'))!;
    const page = await open(`/run/0/ablation/${id}`);
    await page.waitForSelector('#chart-loss svg g.mark-line path', { timeout: 30_000 });
    await page.waitForSelector('#chart-val-synth-city svg g.mark-line path', { timeout: 30_000 });
    const rows = page.locator('#class-table tbody tr.row-class');
    await expect(rows.count()).resolves.toBe(19);
    const road = await rows.first().locator('td').first().innerText();
    expect(Number(road)).toBeGreaterThan(0);
    await expect(page.locator('code.cmd').innerText()).resolves.toMatch(/pnpm exp run ablation --preset cpu-1k --only ratio --seeds 0/);
    const imgs = await page.$$eval('.samples img', (els) => els.map((e) => (e as unknown as { naturalWidth: number }).naturalWidth));
    expect(imgs.length).toBeGreaterThan(0);
    expect(imgs.every((w) => w > 0)).toBe(true);
    await page.close();
  });

  it('shows the pages of half-written and hostile runs with their problems, escaped', async () => {
    const torn = await open('/run/0/ablation/torn-s1-0000beef');
    await expect(torn.locator('.problems-box li').count()).resolves.toBeGreaterThanOrEqual(2);
    await expect(torn.locator('h1#run-id').innerText()).resolves.toBe('torn-s1-0000beef');
    await torn.close();
    const hostile = await open('/run/0/ablation/hostile-s2-0000dead');
    await expect(hostile.locator('.problems-box li').first().innerText()).resolves.toBe('</td></tr><script>window.__xss=2</script>');
    await expect(hostile.locator('p b').first().innerText()).resolves.toBe(HOSTILE);
    expect(await hostile.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await hostile.close();
  });

  it('compares two runs picked in the table: config differences, curves, per-class deltas', async () => {
    const page = await open('/');
    const [a, b] = fx.runIds.filter((x) => /^(ratio|switch)/.test(x));
    await page.locator(`input.pick[value="0/ablation/${a}"]`).check();
    await page.locator(`input.pick[value="0/ablation/${b}"]`).check();
    await page.locator('#compare-btn').click();
    await page.waitForURL(/\/compare\?/);
    const diff = await page.locator('#config-diff tbody th').allInnerTexts();
    expect(diff).toContain('config.variant.unpool');
    expect(diff).not.toContain('config.height');
    await page.waitForSelector('#chart-loss svg g.mark-line path', { timeout: 30_000 });
    const lines = await page.$$eval('#chart-loss svg g.mark-line path', (els) => els.length);
    expect(lines).toBe(2);
    await expect(page.locator('table.delta-table').first().locator('tbody tr').count()).resolves.toBe(20);
    await page.close();
  });

  it('serves nothing outside the runs roots', async () => {
    const id = fx.runIds[0];
    const ok = await rawGet(server.port, `/files/0/ablation/${id}/config.json`);
    expect(ok.status).toBe(200);
    for (const p of [
      `/files/0/ablation/${id}/leak.txt`,
      '/files/0/../../../../etc/passwd',
      '/files/0/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/files/0/..%2f..%2f..%2fetc%2fpasswd',
      '/files/0/%2E%2E%5C%2E%2E%5Csecret.txt',
      '/files/1/../runs/ablation/x',
      '/files/7/etc/passwd',
      '/reports/..%2f..%2fpackage.json',
      '/files/0/ablation/%00',
    ]) {
      const r = await rawGet(server.port, p);
      expect([403, 404], p).toContain(r.status);
      expect(r.body).not.toContain('outside the runs root');
      expect(r.body).not.toContain('root:x:0:0');
    }
    const post = await new Promise<number>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port: server.port, path: '/', method: 'POST' }, (res) => resolve(res.statusCode ?? 0));
      req.end();
    });
    expect(post).toBe(405);
  });

  it('shows a run started after the page opened, its step advancing without a reload', async () => {
    const page = await open('/');
    await page.evaluate(() => ((globalThis as unknown as { __loadedOnce: number }).__loadedOnce = 1));
    const experiment = writeLiveExperiment(fx.dir);
    let child: ChildProcess | undefined;
    let log = '';
    try {
      child = spawn(
        path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
        ['--conditions=@unpool/source', 'packages/cli/src/main.ts', 'run', experiment, '--preset', 'smoke', '--out', liveRoot, '--only', 'switch', '--seeds', '0', '--no-onnx', '--no-report', '--jobs', '1'],
        { cwd: REPO_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child.stdout!.on('data', (c) => (log += c));
      child.stderr!.on('data', (c) => (log += c));
      const row = page.locator('#runs-body tr[data-key^="1/live/"]');
      await row.waitFor({ timeout: 120_000 }).catch((err) => {
        throw new Error(`${err}\nrun log:\n${log}`);
      });
      const stepOf = async () => Number((await row.locator('.step').innerText().catch(() => 'NaN')) || 'NaN');
      let first = NaN;
      await expect.poll(async () => (first = await stepOf()), { timeout: 120_000, interval: 100 }).toBeGreaterThanOrEqual(0);
      await expect.poll(stepOf, { timeout: 120_000, interval: 200 }).toBeGreaterThan(first);
      expect(await page.evaluate(() => (globalThis as unknown as { __loadedOnce?: number }).__loadedOnce)).toBe(1);
      expect(await page.evaluate(() => (globalThis as unknown as { UnpoolUI: { updates: number } }).UnpoolUI.updates)).toBeGreaterThan(1);
      // Its run page follows it too: the step shown advances without a reload.
      const key = await row.getAttribute('data-key');
      const runPage = await open(`/run/${key}`);
      const pageStep = async () => Number(await runPage.locator('#run-step').innerText());
      const before = await pageStep();
      await expect.poll(pageStep, { timeout: 120_000, interval: 200 }).toBeGreaterThan(before);
      await runPage.close();
    } finally {
      if (child?.pid && child.exitCode === null) {
        const exited = new Promise((resolve) => child!.once('exit', resolve));
        process.kill(-child.pid, 'SIGTERM');
        await exited;
      }
      // tsx's own node child is in the same process group: wait until the whole group is gone.
      for (let i = 0; child?.pid && i < 100; i++) {
        try {
          process.kill(-child.pid, 0);
        } catch {
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      await page.close();
    }
  });

  it('logged no console errors on any page', () => {
    expect(errors).toEqual([]);
  });
});
