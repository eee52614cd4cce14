/**
 * Screenshots of the UI for the README: the runs table, a run page and a comparison, taken in headless
 * Chromium over the committed runs (plus any runs roots given as arguments, e.g. one with a run in
 * progress). Usage: pnpm --filter @unpool/ui screenshots [runsRoot]...
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startUiServer } from '../src/index.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../test/chromium.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const OUT = path.join(REPO, 'docs');
const roots = [
  path.join(REPO, 'reports/ablation/runs'),
  path.join(REPO, 'reports/ablation/cpu-1k/runs'),
  // pnpm runs this in packages/ui; arguments are relative to where the command was typed.
  ...process.argv.slice(2).map((r) => path.resolve(process.env.INIT_CWD ?? process.cwd(), r)),
];

const server = await startUiServer({ roots, reportsDir: path.join(REPO, 'reports'), port: 0, pathBase: REPO });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  fs.mkdirSync(OUT, { recursive: true });
  const page = await browser.newPage({ viewport: { width: 1440, height: 820 } });
  await page.goto(server.url);
  await page.waitForSelector('#live.on');
  await page.screenshot({ path: path.join(OUT, 'ui-runs.png') });
  const keys = await page.$$eval('#runs-body tr', (trs) => trs.map((tr) => tr.getAttribute('data-key') ?? ''));
  const pair = keys.filter((k) => k.startsWith('1/'));
  await page.goto(`${server.url}run/${pair[0]}`);
  await page.waitForSelector('#chart-loss svg g.mark-line path');
  await page.screenshot({ path: path.join(OUT, 'ui-run.png'), fullPage: false });
  await page.goto(`${server.url}compare?${pair.map((k) => `run=${encodeURIComponent(k)}`).join('&')}`);
  await page.waitForSelector('#chart-loss svg g.mark-line path');
  await page.setViewportSize({ width: 1440, height: 1500 });
  await page.screenshot({ path: path.join(OUT, 'ui-compare.png'), fullPage: false });
  process.stderr.write(`wrote ${['ui-runs.png', 'ui-run.png', 'ui-compare.png'].map((f) => path.relative(REPO, path.join(OUT, f))).join(', ')}\n`);
} finally {
  await browser.close();
  await server.close();
}
