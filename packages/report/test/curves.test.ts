import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRuns, curveSpec, lossCurve, renderSvg, validationCurve, variantStyle, type RunSlot } from '../src/index.js';
import { fixtureScores, threeSeedScenario, type Scenario } from './fixture_runs.js';

describe('training curves', () => {
  let s: Scenario;
  let slots: RunSlot[];
  beforeAll(() => {
    s = threeSeedScenario();
    slots = collectRuns(s.experiment, s.preset, [s.root]).slots;
  });
  afterAll(() => fs.rmSync(s.root, { recursive: true, force: true }));

  it('averages validation mIoU over seeds per step with a min-max band', () => {
    const curve = validationCurve(slots, 'synth-city');
    const ratio = curve.points.filter((p) => p.variant === 'ratio');
    expect(ratio.map((p) => p.step)).toEqual([3, 6]);
    const v = s.experiment.variants.find((x) => x.name === 'ratio')!;
    // The fixture logs miou * step / steps at eval steps 3 and 6 of 6.
    const at6 = [0, 1, 2].map((seed) => 100 * fixtureScores(v, 0, seed, false).miou!);
    expect(ratio[1].n).toBe(3);
    expect(ratio[1].mean).toBeCloseTo(at6.reduce((a, b) => a + b) / 3, 9);
    expect(ratio[1].min).toBeCloseTo(Math.min(...at6), 9);
    expect(ratio[1].max).toBeCloseTo(Math.max(...at6), 9);
  });

  it('leaves out failed and diverged runs and says which', () => {
    const curve = lossCurve(slots);
    expect(curve.points.some((p) => p.variant === 'nearest')).toBe(false);
    expect(curve.excluded.map((e) => `${e.variant}/${e.seed}/${e.status}`).sort()).toEqual(['bayes-switch/1/failed', 'nearest/0/failed', 'nearest/1/diverged']);
    const bs = curve.points.filter((p) => p.variant === 'bayes-switch');
    expect(bs.every((p) => p.n === 1)).toBe(true);
    expect([...new Set(curve.points.map((p) => p.variant))]).toEqual(['switch', 'ratio', 'bayes-switch', 'bayes-ratio']);
  });

  it('renders the curve to SVG with a line per variant and a legend without the variant that has no points', async () => {
    const curve = validationCurve(slots, 'synth-city');
    const svg = await renderSvg(curveSpec({ title: 'Validation mIoU', yTitle: 'mIoU (%)', points: curve.points, style: variantStyle(s.experiment.variants) }));
    expect(svg).toContain('Bayesian SegNet, ratio unpooling');
    expect(svg).not.toContain('nearest unpooling');
    expect((svg.match(/<path[^>]*aria-roledescription="line mark"/g) ?? []).length).toBe(4);
  });
});
