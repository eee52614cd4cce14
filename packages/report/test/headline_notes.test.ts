import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gainText, gridWallTime, pairedDiffs, pairedGain, renderReport, sweepNote, type SweepSummary, type VariantCell } from '../src/index.js';
import { collectRuns } from '../src/index.js';
import { ABSENT_CLASS, RATIO_WORSE_CLASS, tempRoot, threeSeedScenario, twoSeedScenario, type Scenario } from './fixture_runs.js';
import { sweepScenario } from './sweep_fixture.js';

const cell = (perSeed: [number, number][]): VariantCell => ({
  kind: 'stats',
  stats: { n: perSeed.length, mean: 0, min: 0, max: 0, low: 0, high: 0, spread: 'none' },
  perSeed: new Map(perSeed),
  expected: perSeed.length,
  pending: [],
});

describe('pairedGain', () => {
  it('is the mean of per-seed differences with a t interval on n - 1 df (t(0.975, 2) = 4.302653)', () => {
    const g = pairedDiffs([0, 1, 2], [1, 2, 6])!;
    expect(g.mean).toBeCloseTo(3, 12);
    const half = (4.302652729911275 * Math.sqrt(7)) / Math.sqrt(3);
    expect(g.ci95!.low).toBeCloseTo(3 - half, 6);
    expect(g.ci95!.high).toBeCloseTo(3 + half, 6);
    expect(g.ci95!.df).toBe(2);
    // Two seeds: t(0.975, 1) = 12.7062; diffs 1, 3 have sd sqrt(2).
    const two = pairedDiffs([0, 1], [1, 3])!;
    expect(two.ci95!.high - two.mean).toBeCloseTo((12.706204736174707 * Math.sqrt(2)) / Math.sqrt(2), 5);
  });

  it('pairs by seed, drops seeds missing on one side, and gives no interval for one seed', () => {
    const g = pairedGain(cell([[2, 10], [0, 20], [5, 1]]), cell([[0, 23], [2, 11], [7, 0]]))!;
    expect(g.seeds).toEqual([0, 2]);
    expect(g.diffs).toEqual([3, 1]);
    const one = pairedGain(cell([[0, 10]]), cell([[0, 12.5]]))!;
    expect(one.ci95).toBeNull();
    expect(gainText(one)).toBe('+2.50 points (n = 1 seed: no interval)');
    expect(pairedGain(cell([[0, 1]]), cell([[1, 1]]))).toBeNull();
  });
});

describe('gridWallTime', () => {
  it('spans the earliest start to the latest finish and counts the unfinished runs', () => {
    const s = threeSeedScenario();
    const w = gridWallTime(collectRuns(s.experiment, s.preset, [s.root]).slots)!;
    // Fixture runs of seed k run 2026-11-0(k+1) 10:00-10:30; bayes-switch and nearest seed 2 have no folder.
    expect(w.startedAt).toBe('2026-11-01T10:00:00.000Z');
    expect(w.finishedAt).toBe('2026-11-03T10:30:00.000Z');
    expect(w.seconds).toBe(2 * 86400 + 1800);
    expect(w.runs).toBe(13);
    expect(w.unfinished).toBe(2);
    fs.rmSync(s.root, { recursive: true, force: true });
  });
});

describe('sweepNote', () => {
  const base = { lr: 1e-3, schedule: 'constant', init: 'he-normal' };
  const summary = (setting: typeof base) => ({ winner: { winner: { setting, score: 1 }, tied: [] } }) as unknown as SweepSummary;
  it('differs only when the winner is not the single base setting', () => {
    expect(sweepNote([base], summary({ ...base }), 'x').differs).toBe(false);
    expect(sweepNote([base], summary({ ...base, init: 'torch-default' }), 'x').differs).toBe(true);
    expect(sweepNote([base], null, 'x')).toMatchObject({ winner: null, differs: false });
  });
});

describe('the ablation page: headline, setting, sweep link, long run, wall time', () => {
  let s: Scenario;
  let long: Scenario;
  let sweepRoot: string;
  let out: string;
  let page: string;
  let headline: string;
  beforeAll(async () => {
    s = threeSeedScenario();
    long = twoSeedScenario();
    const sweep = sweepScenario();
    sweepRoot = sweep.root;
    out = tempRoot('unpool-report-notes-');
    await renderReport({
      experiment: s.experiment,
      preset: s.preset,
      runsRoots: [s.root],
      outDir: out,
      sweep: { experiment: sweep.experiment, runsRoots: [sweep.root], href: '../sweep/index.html' },
      long: { preset: 'two', runsRoots: [long.root], href: 'two/index.html' },
      now: new Date('2026-11-30T10:00:00Z'),
    });
    page = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    headline = fs.readFileSync(path.join(out, 'headline.md'), 'utf8');
  });
  afterAll(() => {
    for (const d of [s.root, long.root, sweepRoot, out]) fs.rmSync(d, { recursive: true, force: true });
  });

  // Ratio - switch per class: +5 points, -4 on RATIO_WORSE_CLASS, void +5, ABSENT_CLASS undefined; the
  // Average is over the 18 defined classes and void, and the seed offsets cancel in each pair.
  const avgGain = ((19 - 2) * 5 + -4 + 5) / 19;

  it('writes the headline sentence with the paired gain, its interval and n (n = 1 for the Bayesian pair)', () => {
    expect([ABSENT_CLASS, RATIO_WORSE_CLASS]).toEqual([16, 10]);
    const g = avgGain.toFixed(2);
    expect(headline).toBe(
      `Reproduced gain on synth-city (Average IoU, fixture preset three): ratio − switch +${g} points (paired 95% t interval +${g} to +${g}, n = 3 seeds); Bayesian ratio − Bayesian switch +${g} points (n = 1 seed: no interval).\n`,
    );
    expect(page).toContain(headline.trim());
  });

  it('names the training setting, links the sweep, and warns when the sweep chose another one', () => {
    expect(page).toContain('Every run here trained with Adam lr 0.001, constant schedule, he-normal init');
    expect(page).toContain('href="../sweep/index.html"');
    expect(page).toMatch(/id="sweep-differs"><b>Warning:<\/b> the sweep's winner for the baselines is Adam lr 0.002, constant schedule, he-normal init/);
    const start = page.indexOf('<ul class="warnings">');
    const warnings = page.slice(start, page.indexOf('</ul>', start));
    expect(warnings).toMatch(/<li>The sweep(&#39;|&#x27;|')s winner for the baselines \(Adam lr 0.002, constant schedule, he-normal init\) is not the setting these runs trained with/);
  });

  it('shows n per variant beside Table 1 (completed of expected seeds)', () => {
    expect(page).toContain('<span id="seed-counts">n (completed of expected seeds): switch 3/3, ratio 3/3, bayes-switch 1/3, bayes-ratio 3/3, nearest 0/3.</span>');
  });

  it('compares the gap at the end of both presets and links the long page', () => {
    const g = avgGain.toFixed(2);
    expect(page).toContain(`+${g} points (paired 95% t interval +${g} to +${g}, n = 3 seeds) at the end of preset <code>three</code> (6 steps); +${g} points (paired 95% t interval +${g} to +${g}, n = 2 seeds) at the end of preset <code>two</code>`);
    expect(page).toContain('href="two/index.html"');
  });

  it('shows the grid wall time and each run\'s wall time in Provenance', () => {
    expect(page).toMatch(/<b>Grid wall time: 48h 30m<\/b>/);
    expect(page).toMatch(/2 runs of the grid not finished/);
    expect(page).toContain('<td class="num">30m 00s</td>');
  });

  it('has no long-run section when the long preset has no runs', async () => {
    const empty = tempRoot('unpool-empty-');
    const out2 = tempRoot('unpool-report-nolong-');
    await renderReport({ experiment: s.experiment, preset: s.preset, runsRoots: [s.root], outDir: out2, long: { preset: 'two', runsRoots: [empty], href: 'two/index.html' } });
    const p2 = fs.readFileSync(path.join(out2, 'index.html'), 'utf8');
    expect(p2).not.toContain('id="sec-long"');
    expect(p2).not.toContain('id="training-setting"');
    for (const d of [empty, out2]) fs.rmSync(d, { recursive: true, force: true });
  });
});
