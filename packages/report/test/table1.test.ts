import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTable1, collectRuns, loadPaperTable1, table1Csv, table1Markdown, TABLE1_CSV_COLUMNS, type Table1 } from '../src/index.js';
import { ABSENT_CLASS, fixtureIou, oneSeedScenario, RATIO_WORSE_CLASS, threeSeedScenario, twoSeedScenario, type Scenario } from './fixture_runs.js';

// Student's t quantile t(0.975, 2) from printed tables, independent of the code under test.
const T_975_DF2 = 4.303;

function build(s: Scenario): Table1 {
  const matched = collectRuns(s.experiment, s.preset, [s.root]);
  return buildTable1(s.experiment, matched.slots, loadPaperTable1());
}

function col(t: Table1, key: string): number {
  const i = t.columns.findIndex((c) => c.key === key);
  if (i < 0) throw new Error(`no column ${key}; have ${t.columns.map((c) => c.key).join(', ')}`);
  return i;
}

function row(t: Table1, key: string): number {
  const i = t.rows.findIndex((r) => r.key === key);
  if (i < 0) throw new Error(`no row ${key}`);
  return i;
}

function variant(s: Scenario, name: string) {
  return s.experiment.variants.find((v) => v.name === name)!;
}

function parseCsv(text: string): Record<string, string>[] {
  const [head, ...lines] = text.trim().split('\n');
  const cols = head.split(',');
  // The fixture's fields never contain commas or quotes except row labels, which are not compared here.
  return lines.map((l) => {
    const cells: string[] = [];
    let cur = '';
    let quoted = false;
    for (const ch of l) {
      if (ch === '"') quoted = !quoted;
      else if (ch === ',' && !quoted) {
        cells.push(cur);
        cur = '';
      } else cur += ch;
    }
    cells.push(cur);
    return Object.fromEntries(cols.map((c, i) => [c, cells[i]]));
  });
}

describe('Table 1 with three seeds', () => {
  let s: Scenario;
  let t: Table1;
  beforeAll(() => {
    s = threeSeedScenario();
    t = build(s);
  });
  afterAll(() => fs.rmSync(s.root, { recursive: true, force: true }));

  it('has the 19 classes, Void, the paper Average and our 19-class mIoU as rows', () => {
    expect(t.rows.map((r) => r.kind)).toEqual([...Array(19).fill('class'), 'void', 'average', 'miou19']);
    expect(t.rows[0].label).toBe('Road');
    expect(t.rows[6].label).toBe('Traffic Light');
  });

  it('groups columns per evaluation set: SegNet pair + delta, Bayesian pair + delta, the control, then the paper', () => {
    expect(t.columns.map((c) => c.key)).toEqual([
      'synth-city/switch',
      'synth-city/ratio',
      'synth-city/ratio-minus-switch',
      'synth-city/bayes-switch',
      'synth-city/bayes-ratio',
      'synth-city/bayes-ratio-minus-bayes-switch',
      'synth-city/nearest',
      'synth-kitti/switch',
      'synth-kitti/ratio',
      'synth-kitti/ratio-minus-switch',
      'synth-kitti/bayes-switch',
      'synth-kitti/bayes-ratio',
      'synth-kitti/bayes-ratio-minus-bayes-switch',
      'synth-kitti/nearest',
      'paper/cityscapes/switch',
      'paper/cityscapes/ratio',
      'paper/cityscapes/delta',
      'paper/bayesian-cityscapes/switch',
      'paper/bayesian-cityscapes/ratio',
      'paper/bayesian-cityscapes/delta',
      'paper/kitti/switch',
      'paper/kitti/ratio',
      'paper/kitti/delta',
    ]);
    expect(t.bands.map((b) => b.groups.reduce((a, g) => a + g.span, 0))).toEqual([7, 7, 9]);
  });

  it('shows the mean over seeds with the 95% t confidence interval', () => {
    const cell = t.cells[row(t, 'car')][col(t, 'synth-kitti/ratio')];
    expect(cell.kind).toBe('variant');
    if (cell.kind !== 'variant' || cell.cell.kind !== 'stats') throw new Error('expected numbers');
    const values = [0, 1, 2].map((seed) => 100 * fixtureIou(variant(s, 'ratio'), 1, 13, seed)!);
    const mean = values.reduce((a, b) => a + b) / 3;
    const sd = Math.sqrt(values.reduce((a, x) => a + (x - mean) ** 2, 0) / 2);
    expect(cell.cell.stats.mean).toBeCloseTo(mean, 9);
    expect(cell.cell.stats.spread).toBe('ci95');
    expect((cell.cell.stats.high - cell.cell.stats.low) / 2).toBeCloseTo((T_975_DF2 * sd) / Math.sqrt(3), 2);
  });

  it('bolds the better of each pair and computes ratio - switch', () => {
    const r = row(t, 'road');
    const sw = t.cells[r][col(t, 'synth-city/switch')];
    const ra = t.cells[r][col(t, 'synth-city/ratio')];
    const d = t.cells[r][col(t, 'synth-city/ratio-minus-switch')];
    expect(sw.kind === 'variant' && sw.bold).toBe(false);
    expect(ra.kind === 'variant' && ra.bold).toBe(true);
    if (d.kind !== 'delta') throw new Error('expected a delta cell');
    expect(d.delta.value).toBeCloseTo(5, 9);
    // Same three seeds on both sides: the paired differences are all exactly 5 points.
    expect(d.delta.paired?.n).toBe(3);
    expect(d.delta.paired!.high - d.delta.paired!.low).toBeCloseTo(0, 9);

    const worse = row(t, 'sky');
    expect(RATIO_WORSE_CLASS).toBe(10);
    const swWorse = t.cells[worse][col(t, 'synth-city/switch')];
    const dWorse = t.cells[worse][col(t, 'synth-city/ratio-minus-switch')];
    expect(swWorse.kind === 'variant' && swWorse.bold).toBe(true);
    expect(dWorse.kind === 'delta' && dWorse.delta.value).toBeCloseTo(-4, 9);
  });

  it('shows an undefined IoU as undefined, not as zero', () => {
    const cell = t.cells[ABSENT_CLASS][col(t, 'synth-city/switch')];
    expect(cell.kind === 'variant' && cell.cell.kind).toBe('undefined');
  });

  it('keeps incomplete seeds visible: partial coverage, and a status for a variant with no completed run', () => {
    const partial = t.cells[row(t, 'road')][col(t, 'synth-city/bayes-switch')];
    if (partial.kind !== 'variant' || partial.cell.kind !== 'stats') throw new Error('expected numbers from seed 0');
    expect(partial.cell.stats.n).toBe(1);
    expect(partial.cell.stats.spread).toBe('none');
    expect(partial.cell.pending.sort()).toEqual(['failed', 'missing']);
    expect(partial.cell.stats.mean).toBeCloseTo(100 * fixtureIou(variant(s, 'bayes-switch'), 0, 0, 0)!, 9);

    const none = t.cells[row(t, 'road')][col(t, 'synth-kitti/nearest')];
    if (none.kind !== 'variant' || none.cell.kind !== 'status') throw new Error('expected a status cell');
    expect(none.cell.statuses).toEqual(['failed', 'diverged', 'missing']);
  });

  it('puts the paper numbers beside ours, with the paper delta', () => {
    const avg = row(t, 'average');
    const p = t.cells[avg][col(t, 'paper/cityscapes/ratio')];
    const pd = t.cells[avg][col(t, 'paper/cityscapes/delta')];
    expect(p.kind === 'paper' && p.value).toBe(41.52);
    expect(p.kind === 'paper' && p.bold).toBe(true);
    expect(pd.kind === 'paperDelta' && pd.value).toBeCloseTo(41.52 - 33.57, 9);
    const sky = t.cells[row(t, 'sky')][col(t, 'paper/kitti/delta')];
    expect(sky.kind === 'paperDelta' && sky.value).toBeCloseTo(38.08 - 43.5, 9);
    // The paper has no 19-class mIoU row.
    const m = t.cells[row(t, 'miou19')][col(t, 'paper/kitti/switch')];
    expect(m.kind === 'paper' && m.value).toBe(null);
  });

  it('summarises claimed vs reproduced Average gain per paper column group', () => {
    expect(t.gains.map((g) => [g.paperGroup, g.set, g.pairLabel])).toEqual([
      ['cityscapes', 'synth-city', 'SegNet'],
      ['bayesian-cityscapes', 'synth-city', 'Bayesian SegNet'],
      ['kitti', 'synth-kitti', 'SegNet'],
    ]);
    const g = t.gains[0];
    expect(g.paperRatio! - g.paperSwitch!).toBeCloseTo(7.95, 9);
    // Average = mean of the 18 defined classes + void; ratio adds 5 points except -4 on one class.
    expect(g.delta.value).toBeCloseTo((17 * 5 - 4 + 5) / 19, 9);
  });

  it('writes Markdown and CSV with the same numbers as the model', () => {
    const md = table1Markdown(t);
    const lines = md.split('\n').filter((l) => l.startsWith('|'));
    expect(lines).toHaveLength(2 + t.rows.length);
    const header = lines[0].split(' | ');
    expect(header).toHaveLength(1 + t.columns.length);

    const csv = parseCsv(table1Csv(t));
    expect(Object.keys(csv[0])).toEqual([...TABLE1_CSV_COLUMNS]);
    expect(csv).toHaveLength(t.rows.length * t.columns.length);
    const carRatio = csv.find((r) => r.row === 'car' && r.column === 'synth-kitti/ratio')!;
    const carCell = t.cells[row(t, 'car')][col(t, 'synth-kitti/ratio')];
    if (carCell.kind !== 'variant' || carCell.cell.kind !== 'stats') throw new Error('expected numbers');
    expect(Number(carRatio.mean)).toBeCloseTo(carCell.cell.stats.mean, 2);
    expect(carRatio.spread).toBe('ci95');
    expect(carRatio.n_seeds).toBe('3');
    const half = (carCell.cell.stats.high - carCell.cell.stats.low) / 2;
    const mdCar = lines.find((l) => l.startsWith('| Car |'))!.split(' | ');
    expect(mdCar[1 + col(t, 'synth-kitti/ratio')]).toBe(`**${carRatio.mean}** (±${half.toFixed(2)})`);
    const nearest = csv.find((r) => r.row === 'road' && r.column === 'synth-city/nearest')!;
    expect(nearest.status).toBe('failed / diverged / missing');
    expect(nearest.mean).toBe('');
    expect(mdCar[1 + col(t, 'synth-city/nearest')]).toBe('failed / diverged / missing');
  });
});

describe('Table 1 with one seed', () => {
  let s: Scenario;
  let t: Table1;
  beforeAll(() => {
    s = oneSeedScenario();
    t = build(s);
  });
  afterAll(() => fs.rmSync(s.root, { recursive: true, force: true }));

  it('shows no spread for a single seed', () => {
    const cell = t.cells[row(t, 'road')][col(t, 'synth-city/switch')];
    if (cell.kind !== 'variant' || cell.cell.kind !== 'stats') throw new Error('expected numbers');
    expect(cell.cell.stats.spread).toBe('none');
    expect(cell.cell.stats.mean).toBeCloseTo(20, 9);
    const md = table1Markdown(t).split('\n').find((l) => l.startsWith('| Road |'))!.split(' | ');
    expect(md[1 + col(t, 'synth-city/switch')]).toBe('20.00');
  });

  it('marks failed, interrupted and unreadable runs in their cells and leaves the pair unbolded', () => {
    const r = row(t, 'road');
    const ratio = t.cells[r][col(t, 'synth-city/ratio')];
    expect(ratio.kind === 'variant' && ratio.cell.kind === 'status' && ratio.cell.statuses).toEqual(['failed']);
    const sw = t.cells[r][col(t, 'synth-city/switch')];
    expect(sw.kind === 'variant' && sw.bold).toBe(false);
    const d = t.cells[r][col(t, 'synth-city/ratio-minus-switch')];
    expect(d.kind === 'delta' && d.delta.value).toBe(null);
    // Recorded as running, with no live lock holder: its process is gone.
    const interrupted = t.cells[r][col(t, 'synth-city/bayes-ratio')];
    expect(interrupted.kind === 'variant' && interrupted.cell.kind === 'status' && interrupted.cell.statuses).toEqual(['interrupted']);
    // nearest: result.json is fine, config.json is not; its numbers still count, the problem is reported.
    const nearest = t.cells[r][col(t, 'synth-city/nearest')];
    expect(nearest.kind === 'variant' && nearest.cell.kind).toBe('stats');
  });
});

describe('Table 1 with two seeds', () => {
  let s: Scenario;
  afterAll(() => fs.rmSync(s.root, { recursive: true, force: true }));

  it('shows min-max for two seeds', () => {
    s = twoSeedScenario();
    const t = build(s);
    const cell = t.cells[row(t, 'bicycle')][col(t, 'synth-city/bayes-ratio')];
    if (cell.kind !== 'variant' || cell.cell.kind !== 'stats') throw new Error('expected numbers');
    const v = variant(s, 'bayes-ratio');
    expect(cell.cell.stats.spread).toBe('range');
    expect(cell.cell.stats.low).toBeCloseTo(100 * fixtureIou(v, 0, 18, 0)!, 9);
    expect(cell.cell.stats.high).toBeCloseTo(100 * fixtureIou(v, 0, 18, 1)!, 9);
    const md = table1Markdown(t).split('\n').find((l) => l.startsWith('| Bicycle |'))!.split(' | ');
    expect(md[1 + col(t, 'synth-city/bayes-ratio')]).toBe(
      `**${cell.cell.stats.mean.toFixed(2)}** (${cell.cell.stats.low.toFixed(2)}–${cell.cell.stats.high.toFixed(2)})`,
    );
  });
});
