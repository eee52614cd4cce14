import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, chromiumArgs, renderReport } from '../src/index.js';
import { writeBenchFile } from './bench_fixture.js';
import { tempRoot, threeSeedScenario, type Scenario } from './fixture_runs.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SCREENSHOT = path.join(REPO_ROOT, 'test-artifacts', 'report.png');
const CHROMIUM_ARGS = chromiumArgs(['localhost']);

describe('the report in headless Chromium', () => {
  let s: Scenario;
  let out: string;
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`Chromium is not at ${CHROMIUM}: install it with \`apt-get install chromium\` (CI does), or point UNPOOL_CHROMIUM at a Chromium binary.`);
    }
    s = threeSeedScenario();
    out = tempRoot('unpool-report-browser-');
    await renderReport({
      experiment: s.experiment,
      preset: s.preset,
      runsRoots: [s.root],
      outDir: out,
      benchFiles: [writeBenchFile(s.root)],
      now: new Date('2026-11-20T12:00:00Z'),
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
    if (s) fs.rmSync(s.root, { recursive: true, force: true });
    if (out) fs.rmSync(out, { recursive: true, force: true });
  });

  it('shows Table 1 and the charts offline, without console errors', async () => {
    const context = await browser!.newContext({ offline: true, viewport: { width: 1500, height: 1000 } });
    const blocked: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('requestfailed', (req) => {
      if (!req.url().startsWith('data:')) errors.push(`request failed: ${req.url()}`);
    });

    await page.goto(pathToFileURL(path.join(out, 'index.html')).href, { waitUntil: 'load' });
    await page.waitForSelector('#chart-fig3-validation-miou svg g.mark-line path', { timeout: 20_000 });

    const table = page.locator('#table1-grid');
    await expect(table.locator('tbody tr.row-class').count()).resolves.toBe(19);
    await expect(table.locator('tbody tr.row-void').count()).resolves.toBe(1);
    await expect(table.locator('tbody tr.row-average').count()).resolves.toBe(1);
    await expect(table.locator('tbody tr.row-average th').innerText()).resolves.toMatch(/^Average/);
    await expect(table.locator('thead').innerText()).resolves.toMatch(/Paper's Table 1/);

    const marks = await page.$$eval('.chart-host svg g[class*="mark-"] path', (els) => els.filter((e) => (e.getAttribute('d') ?? '').length > 4).length);
    expect(marks).toBeGreaterThan(5);
    const charts = await page.$$eval('.chart-host', (els) => els.map((e) => e.querySelector('svg') !== null));
    expect(charts.length).toBeGreaterThanOrEqual(4);
    expect(charts.every(Boolean)).toBe(true);
    const images = await page.$$eval('figure.qualitative img', (els) => els.map((e) => (e as unknown as { naturalWidth: number }).naturalWidth));
    expect(images.length).toBeGreaterThan(0);
    expect(images.every((w) => w > 0)).toBe(true);

    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
    await context.close();
  });
});
