import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  benchTable,
  BOUNDARY_METRICS,
  collectRuns,
  computeLabel,
  costRows,
  metricTable,
  onnxTable,
  provenanceRows,
  UNCERTAINTY_METRICS,
  type MatchedRuns,
} from '../src/index.js';
import { oneSeedScenario, twoSeedScenario, type Scenario } from './fixture_runs.js';

describe('costs, boundary, uncertainty and provenance on two seeds', () => {
  let s: Scenario;
  let m: MatchedRuns;
  beforeAll(() => {
    s = twoSeedScenario();
    m = collectRuns(s.experiment, s.preset, [s.root]);
  });
  afterAll(() => fs.rmSync(s.root, { recursive: true, force: true }));

  it('keeps timings of different backends apart', () => {
    const rows = costRows(s.experiment, m.slots);
    const sw = rows.filter((r) => r.variant === 'switch');
    expect(sw.map((r) => [r.backend, r.runs])).toEqual([
      ['wasm', 1],
      ['webgpu', 1],
    ]);
    // fixture: 800 + 10 seed (+50 for switch)
    expect(sw.find((r) => r.backend === 'webgpu')!.values.trainMsPerStep!.mean).toBe(860);
    const br = rows.find((r) => r.variant === 'bayes-ratio')!;
    expect([br.runs, br.mcSamples, br.values.inferenceMcMsPerImage!.mean, br.values.unpoolBytesPerImage!.mean]).toEqual([2, 3, 60.5, 0]);
    expect(rows.find((r) => r.variant === 'ratio')!.mcSamples).toBe(null);
  });

  it('labels timings by backend and, when not tfjs, engine', () => {
    expect(computeLabel({ backend: 'wasm', engine: 'onnxruntime' })).toBe('wasm + onnxruntime');
    expect(computeLabel({ backend: 'wasm', engine: 'tfjs' })).toBe('wasm');
    expect(computeLabel({ backend: 'webgpu' })).toBe('webgpu');
  });

  it('tabulates boundary scores per variant and set and bolds the best', () => {
    const t = metricTable(s.experiment, m.slots, BOUNDARY_METRICS);
    expect(t.rows.map((r) => r.variant)).toEqual(['switch', 'ratio', 'bayes-switch', 'bayes-ratio', 'nearest']);
    const f = t.rows[1].cells[0];
    // ratio boundary F on set 0: 0.4 + 0.1 + 0.01 seed, seeds 0 and 1 -> 50.5 %, range 50..51.
    if (f.kind !== 'stats') throw new Error('expected numbers');
    expect(f.stats.mean).toBeCloseTo(50.5, 9);
    expect([f.stats.low, f.stats.high].map((x) => Math.round(x * 1e6) / 1e6)).toEqual([50, 51]);
    expect(t.rows[t.best[0]].variant).toBe('ratio');
  });

  it('limits the uncertainty table to the Bayesian variants', () => {
    const t = metricTable(s.experiment, m.slots, UNCERTAINTY_METRICS, (v) => v.bayesian);
    expect(t.rows.map((r) => r.variant)).toEqual(['bayes-switch', 'bayes-ratio']);
  });

  it('records commit, dirty flag and backend per run', () => {
    const rows = provenanceRows(m.slots, m.strays, m.shadowed);
    expect(rows).toHaveLength(10);
    const r = rows.find((x) => x.variant === 'switch' && x.seed === 1)!;
    expect([r.status, r.dirty, r.backend, r.preset, r.step, r.steps]).toEqual(['completed', true, 'webgpu (1 thread, SIMD)', 'two', 6, 6]);
  });
});

describe('runs that are shadowed, unreadable or stray', () => {
  let s: Scenario;
  let second: Scenario;
  afterAll(() => {
    fs.rmSync(s.root, { recursive: true, force: true });
    fs.rmSync(second.root, { recursive: true, force: true });
  });

  it('takes a run from the first root that has it and lists the other copy', () => {
    s = oneSeedScenario();
    second = twoSeedScenario();
    const m = collectRuns(s.experiment, 'one', [s.root, second.root]);
    // Preset `one` seed 0 has the same config as preset `two` seed 0, hence the same run id.
    expect(m.shadowed.map((x) => x.run.runId.replace(/-[0-9a-f]{8}$/, '')).sort()).toEqual(['bayes-ratio-s0', 'bayes-switch-s0', 'nearest-s0', 'ratio-s0', 'switch-s0']);
    expect(m.slots.find((x) => x.variant.name === 'ratio')!.status).toBe('failed');
    expect(m.strays.map((x) => x.run.runId.replace(/-[0-9a-f]{8}$/, '')).sort()).toEqual(['bayes-ratio-s1', 'bayes-switch-s1', 'nearest-s1', 'ratio-s1', 'switch-s1']);
    const nearest = m.slots.find((x) => x.variant.name === 'nearest')!;
    expect(nearest.problems.join('\n')).toMatch(/config\.json does not match the config\.json schema/);
    const rows = provenanceRows(m.slots, m.strays, m.shadowed);
    expect(rows.filter((r) => r.status === 'shadowed')).toHaveLength(5);
    expect(rows.filter((r) => r.status === 'not in grid')).toHaveLength(5);
  });

  it('shows a run recorded as running whose process is gone as interrupted, and one whose lock holder lives as running', () => {
    const interrupted = collectRuns(s.experiment, 'one', [s.root]).slots.find((x) => x.variant.name === 'bayes-ratio')!;
    expect(interrupted.status).toBe('interrupted');
    fs.writeFileSync(path.join(interrupted.run!.dir, 'lock'), JSON.stringify({ host: os.hostname(), pid: process.pid }));
    expect(collectRuns(s.experiment, 'one', [s.root]).slots.find((x) => x.variant.name === 'bayes-ratio')!.status).toBe('running');
  });
});

describe('generic tables', () => {
  it('shows whatever fields a bench file has, known ones first, labelled, with sample arrays summarised', () => {
    const t = benchTable('b.json', {
      meta: { host: { cpu: 'x' }, totalMemoryBytes: 25276510208 },
      rows: [
        { extra: 1, fwdMs: 2.5, fwdSamplesMs: [2.5, 1.25, 3.75], op: 'ratio', shape: [1, 2], waitsMs: [4, 1, 2, 3] },
        { op: 'switch', note: 'n', peakBytes: 9927190944 },
      ],
      summary: { timing: 'median of 3', ratios: [{ shape: [1, 2], ratioOverSwitch: { fwd: 0.6881 } }] },
    });
    if ('error' in t) throw new Error(t.error);
    expect(t.table.columns.map((c) => c.label)).toEqual(['op', 'shape (N×H×W×C)', 'forward (ms)', 'peak memory', 'extra', 'waits (ms)', 'note']);
    const [first, second] = t.table.rows;
    expect(first[1].text).toBe('1×2');
    // The reported median with the samples' [min–max]; the samples themselves are not a column.
    expect(first[2]).toEqual({ text: '2.50', sub: '[1.25–3.75]', numeric: true });
    // An unknown array of numbers is summarised (median of 1,2,3,4 = 2.5) rather than listed.
    expect(first[5]).toEqual({ text: '2.50', sub: '[1.00–4.00] n=4', numeric: true });
    expect(second[3].text).toBe('9.25 GiB');
    expect(t.headline?.columns.map((c) => c.label)).toEqual(['shape (N×H×W×C)', 'ratio / switch, forward']);
    expect(t.headline?.rows[0].map((c) => c.text)).toEqual(['1×2', '0.69×']);
    expect(t.notes).toEqual([{ label: 'timing', text: 'median of 3' }]);
    expect(t.meta).toEqual([
      { label: 'host, cpu', value: 'x' },
      { label: 'total memory', value: '23.5 GiB' },
    ]);
  });

  it('explains a file that is not a bench file', () => {
    const t = benchTable('x.json', { rows: 'nope' });
    expect('error' in t && t.error).toMatch(/^x\.json: not a bench file .*rows/);
  });

  it('flattens ONNX records per run', () => {
    const s = oneSeedScenario();
    try {
      const m = collectRuns(s.experiment, 'one', [s.root]);
      expect(onnxTable(m.slots).rows).toEqual([]);
      const slot = m.slots.find((x) => x.variant.name === 'switch')!;
      slot.run!.result!.onnx = { maxAbsDiff: 1e-6, ort: { ms: 4.5, threads: 2 } };
      const t = onnxTable(m.slots);
      expect(t.columns).toEqual(['variant', 'seed', 'maxAbsDiff', 'ort.ms', 'ort.threads']);
      expect(t.rows[0]).toEqual({ variant: 'switch', seed: 0, maxAbsDiff: 1e-6, 'ort.ms': 4.5, 'ort.threads': 2 });
    } finally {
      fs.rmSync(s.root, { recursive: true, force: true });
    }
  });
});
