import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSweep, compareSimplicity, rankSettings, renderSweepReport, selectBaselineWinner, type SettingScore } from '../src/index.js';
import { tempRoot } from './fixture_runs.js';
import { cellName, STAGE1, sweepScenario } from './sweep_fixture.js';

const s = (lr: number, schedule: string, init: string, score: number): SettingScore => ({ setting: { lr, schedule, init }, score });

describe('selectBaselineWinner', () => {
  it('picks the best score when nothing is within 0.1 points of it', () => {
    const w = selectBaselineWinner([s(1e-3, 'constant', 'he-normal', 30), s(2e-3, 'poly', 'torch-default', 30.2)]);
    expect(w?.winner.setting).toEqual({ lr: 2e-3, schedule: 'poly', init: 'torch-default' });
    expect(w?.tied).toHaveLength(1);
  });

  it('gives a tie within 0.1 points to the simpler schedule, then init, then the lower lr', () => {
    expect(selectBaselineWinner([s(1e-3, 'poly', 'he-normal', 30.09), s(4e-3, 'constant', 'torch-default', 30)])?.winner.setting.schedule).toBe('constant');
    expect(selectBaselineWinner([s(1e-3, 'poly', 'torch-default', 30.05), s(4e-3, 'poly', 'he-normal', 30)])?.winner.setting.init).toBe('he-normal');
    expect(selectBaselineWinner([s(2e-3, 'poly', 'he-normal', 30.05), s(5e-4, 'poly', 'he-normal', 29.96)])?.winner.setting.lr).toBe(5e-4);
  });

  it('measures the tie from the best score, not pairwise', () => {
    // 29.85 is within 0.1 of 29.95 but not of the best (30.0), so it cannot win however simple it is.
    const w = selectBaselineWinner([s(1e-3, 'poly', 'torch-default', 30), s(2e-3, 'poly', 'he-normal', 29.95), s(5e-4, 'constant', 'he-normal', 29.85)]);
    expect(w?.winner.setting).toEqual({ lr: 2e-3, schedule: 'poly', init: 'he-normal' });
    expect(w?.tied.map((t) => t.score)).toEqual([29.95, 30]);
  });

  it('is null without scores; ranks by score, then simplicity', () => {
    expect(selectBaselineWinner([])).toBeNull();
    expect(compareSimplicity({ lr: 1, schedule: 'constant', init: 'torch-default' }, { lr: 1, schedule: 'poly', init: 'he-normal' })).toBeLessThan(0);
    const r = rankSettings([s(1e-3, 'poly', 'he-normal', 20), s(1e-3, 'constant', 'he-normal', 20), s(1e-3, 'poly', 'he-normal', 25)]);
    expect(r.map((x) => `${x.setting.schedule}${x.score}`)).toEqual(['poly25', 'constant20', 'poly20']);
  });
});

describe('the sweep report on synthetic run folders', () => {
  let root: string;
  let out: string;
  let page: string;
  let summary: ReturnType<typeof collectSweep>['summary'];
  beforeAll(() => {
    const sc = sweepScenario();
    root = sc.root;
    out = tempRoot('unpool-sweep-out-');
    const r = renderSweepReport({ experiment: sc.experiment, runsRoots: [root], outDir: out, now: new Date('2026-11-30T10:00:00Z') });
    summary = r.summary;
    page = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
  });
  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('ranks stage 1 by the mean of switch and Bayesian switch, computed by hand', () => {
    const expected = Object.entries(STAGE1)
      .map(([k, [a, b]]) => ({ k, score: (a + b) / 2 }))
      .sort((x, y) => y.score - x.score);
    expect(summary.ranking.map((r) => `${r.setting.init}/${r.setting.schedule}/${r.setting.lr}`)).toEqual(expected.map((e) => e.k));
    summary.ranking.forEach((r, i) => expect(r.score).toBeCloseTo(expected[i].score, 9));
    expect(summary.advanced.map((a) => `${a.schedule}/${a.lr}`).sort()).toEqual(['constant/0.002', 'poly/0.002']);
  });

  it('picks the simpler of two stage-2 settings within 0.1 points, with ratio in the same setting', () => {
    expect(summary.winner?.winner.setting).toEqual({ lr: 2e-3, schedule: 'constant', init: 'he-normal' });
    expect(summary.winner?.winner.score).toBeCloseTo((30 + 27.95) / 2, 9);
    expect(page).toMatch(/Winner for the baselines: Adam lr 0.002, constant schedule, he-normal init/);
    expect(page).toContain('Ratio unpooling in the same setting: 41.00 (n = 2)');
  });

  it('shows every cell: 8 settings x 3 models x 2 stages, the ones not run marked pruned', () => {
    const rows = page.match(/<tr data-setting=/g) ?? [];
    // 8 rows in the cells table + 8 in the ranking table.
    expect(rows).toHaveLength(16);
    const cellsTable = page.slice(page.indexOf('id="sweep-cells"'), page.indexOf('id="sweep-ranking"'));
    // Stage 1: 8 ratio cells pruned; stage 2: 6 settings x 3 models pruned.
    expect(cellsTable.match(/class="num pruned"/g)).toHaveLength(8 + 18);
    expect(cellsTable).toContain(`data-variant="${cellName('switch', 2e-3, 'poly', 'he-normal')}"><span class="m">30.05</span><span class="s">n = 2, 30.00–30.10</span>`);
  });

  it('prints the stage-2 command for the two best settings of stage 1', () => {
    const names = ['switch', 'bayes-switch', 'ratio'].flatMap((m) => [cellName(m, 2e-3, 'constant', 'he-normal'), cellName(m, 2e-3, 'poly', 'he-normal')]);
    const cmd = summary.stage2Command!;
    expect(cmd.startsWith('pnpm exp run sweep --preset cpu --only ')).toBe(true);
    expect(cmd.split('--only ')[1].split(',').sort()).toEqual(names.sort());
  });
});
