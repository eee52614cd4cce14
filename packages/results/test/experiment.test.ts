import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import ablation from '../../../experiments/ablation.js';
import { applyPreset, configHash, defineExperiment, listRuns, parseShard, resolveRuns, shardRuns, storedConfigHash, type Experiment } from '../src/index.js';

const clone = (): Experiment => JSON.parse(JSON.stringify(ablation));

describe('experiment definitions', () => {
  test('the ablation defines the five variants and its presets', () => {
    expect(ablation.variants.map((v) => v.name)).toEqual(['switch', 'ratio', 'bayes-switch', 'bayes-ratio', 'nearest']);
    expect(Object.keys(ablation.presets).sort()).toEqual(['cpu', 'cpu-1k', 'cpu-long', 'gpu-short', 'paper', 'smoke']);
    expect(applyPreset(ablation, 'paper').model.preset).toBe('vgg16');
    expect(applyPreset(ablation, 'smoke').model.widths).toEqual([8, 8, 16, 16]);
    // A preset overrides only what it names.
    expect(applyPreset(ablation, 'smoke').optimizer).toEqual(ablation.base.optimizer);
  });

  test('invalid definitions fail naming the field', () => {
    const bad = clone();
    (bad.base as { batchSize: unknown }).batchSize = -1;
    expect(() => defineExperiment(bad)).toThrow(/base\.batchSize/);
    const dup = clone();
    dup.variants.push({ ...dup.variants[0] });
    expect(() => defineExperiment(dup)).toThrow(/variant 'switch' is defined twice/);
    const preset = clone();
    preset.defaultPreset = 'huge';
    expect(() => defineExperiment(preset)).toThrow(/defaultPreset 'huge'/);
    const override = clone();
    override.presets.smoke = { ...override.presets.smoke, steps: 0 };
    expect(() => defineExperiment(override)).toThrow(/preset 'smoke'[\s\S]*steps/);
  });
});

describe('grid', () => {
  test('expands variants x seeds with stable, config-derived ids', () => {
    const runs = resolveRuns(ablation, { preset: 'smoke', seeds: [0, 1] });
    expect(runs).toHaveLength(10);
    expect(new Set(runs.map((r) => r.runId)).size).toBe(10);
    const again = resolveRuns(ablation, { preset: 'smoke', seeds: [0, 1] });
    expect(again.map((r) => r.runId)).toEqual(runs.map((r) => r.runId));
    const bayes = runs.find((r) => r.config.variant.name === 'bayes-ratio')!;
    expect(bayes.config.model.bayesian).toBe(true);
    expect(bayes.config.mcSamples).toBe(3);
    expect(runs.find((r) => r.config.variant.name === 'ratio')!.config.mcSamples).toBe(1);
  });

  test('the hash ignores key order and operational settings, but not results-relevant ones', () => {
    const [run] = resolveRuns(ablation, { preset: 'smoke', only: ['ratio'] });
    const reordered = Object.fromEntries(Object.entries(run.config).reverse()) as typeof run.config;
    expect(configHash(reordered)).toBe(run.configHash);
    const e = clone();
    e.presets.smoke = { ...e.presets.smoke, checkpointEvery: 3, logEvery: 1 };
    expect(resolveRuns(defineExperiment(e), { preset: 'smoke', only: ['ratio'] })[0].configHash).toBe(run.configHash);
    e.presets.smoke = { ...e.presets.smoke, steps: 7 };
    expect(resolveRuns(defineExperiment(e), { preset: 'smoke', only: ['ratio'] })[0].configHash).not.toBe(run.configHash);
  });

  test('unknown variants and presets are named in the error', () => {
    expect(() => resolveRuns(ablation, { only: ['ratio', 'ratoi'] })).toThrow(/no variant 'ratoi'/);
    expect(() => resolveRuns(ablation, { preset: 'gpu' })).toThrow(/no preset 'gpu'/);
  });

  test('shards partition the grid deterministically', () => {
    const runs = resolveRuns(ablation, { preset: 'smoke', seeds: [0, 1, 2] });
    const shards = [0, 1, 2, 3].map((i) => shardRuns(runs, i, 4));
    expect(shards.flat().map((r) => r.runId).sort()).toEqual(runs.map((r) => r.runId).sort());
    expect(Math.max(...shards.map((s) => s.length)) - Math.min(...shards.map((s) => s.length))).toBeLessThanOrEqual(1);
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(() => parseShard('4/4')).toThrow(/0\.\.3/);
    expect(() => parseShard('x')).toThrow(/i\/n/);
  });
});

describe('strict definitions and a hash of what determines the numbers', () => {
  test('an unknown key in a variant, a data reference or an evaluation set is an error naming it', () => {
    const typo = clone();
    (typo.variants[1] as Record<string, unknown>).bayesain = true;
    expect(() => defineExperiment(typo)).toThrow(/variants\.1: Unrecognized key: "bayesain"/);
    const ref = clone();
    (ref.data.train as Record<string, unknown>).sise = 10;
    expect(() => defineExperiment(ref)).toThrow(/data\.train: Unrecognized key: "sise"/);
    const evalSet = clone();
    (evalSet.data.eval[0] as Record<string, unknown>).labell = 'x';
    expect(() => defineExperiment(evalSet)).toThrow(/data\.eval\.0: Unrecognized key: "labell"/);
  });

  test('editing a display label keeps every run id; changing what a variant does changes it', () => {
    const runs = resolveRuns(ablation, { preset: 'smoke' });
    const relabelled = clone();
    relabelled.variants = relabelled.variants.map((v) => ({ ...v, label: `${v.label} (renamed)` }));
    relabelled.data.eval = relabelled.data.eval.map((e) => ({ ...e, label: e.label.toUpperCase() }));
    expect(resolveRuns(defineExperiment(relabelled), { preset: 'smoke' }).map((r) => r.runId)).toEqual(runs.map((r) => r.runId));
    const changed = clone();
    changed.variants[1] = { ...changed.variants[1], unpool: 'nearest' };
    expect(resolveRuns(defineExperiment(changed), { preset: 'smoke', only: ['ratio'] })[0].runId).not.toBe(runs[1].runId);
  });

  test('runs committed while labels were hashed match their grid slot through the hash of their stored config', () => {
    const reports = path.resolve(__dirname, '../../../reports/ablation');
    // cpu-1k and gpu-h200 hold runs recorded while labels were hashed; `runs` (cpu) was recorded after.
    for (const [folder, preset, labelsHashed] of [['runs', 'cpu', false], ['cpu-1k/runs', 'cpu-1k', true], ['gpu-h200/runs', 'gpu-short', true]] as const) {
      const expected = new Map(resolveRuns(ablation, { preset }).map((r) => [`${r.config.variant.name}/${r.config.seed}`, r.configHash]));
      const runs = listRuns(path.join(reports, folder), 'ablation');
      expect(runs.length).toBeGreaterThan(1);
      for (const run of runs) {
        expect(run.problems).toEqual([]);
        // The recorded hash is the old one (labels included) where labels were hashed ...
        if (labelsHashed) expect(run.config!.configHash).not.toBe(expected.get(`${run.config!.variant}/${run.config!.seed}`));
        else expect(run.config!.configHash).toBe(expected.get(`${run.config!.variant}/${run.config!.seed}`));
        // ... and the stored config hashes to the slot the grid expects now.
        expect(storedConfigHash(run.config!)).toBe(expected.get(`${run.config!.variant}/${run.config!.seed}`));
      }
    }
  });

  test('an empty --only or --seeds, or a seed JSON cannot keep exactly, is an error before anything runs', () => {
    expect(() => resolveRuns(ablation, { preset: 'smoke', only: [] })).toThrow(/--only names no variant/);
    expect(() => resolveRuns(ablation, { preset: 'smoke', seeds: [] })).toThrow(/--seeds names no seed/);
    expect(() => resolveRuns(ablation, { preset: 'smoke', seeds: [2 ** 53] })).toThrow(/--seeds: 9007199254740992 is not an integer in 0\.\.2\^53-1/);
    expect(resolveRuns(ablation, { preset: 'smoke', seeds: [2 ** 53 - 1] })).toHaveLength(5);
    const preset = clone();
    preset.presets.smoke = { ...preset.presets.smoke, seeds: [2 ** 60] };
    expect(() => defineExperiment(preset)).toThrow(/preset 'smoke'[\s\S]*seeds\.0/);
  });
});

describe('per-variant overrides (sweep cells)', () => {
  const withCells = (): Experiment => {
    const e = clone();
    e.variants = [
      { ...e.variants[0], name: 'switch-fast', overrides: { optimizer: { name: 'adam', lr: 4e-3 }, schedule: 'poly', model: { init: 'torch-default' } } },
      { ...e.variants[0], name: 'switch-plain', overrides: { model: { init: 'he-normal' } } },
      e.variants[0],
    ];
    return defineExperiment(e);
  };

  test('a variant overrides the preset scale for itself only, and its overrides are part of the run id', () => {
    const [fast, plain, base] = resolveRuns(withCells(), { preset: 'smoke' });
    expect(fast.config.optimizer.lr).toBe(4e-3);
    expect(fast.config.schedule).toBe('poly');
    expect(fast.config.model.init).toBe('torch-default');
    expect(fast.config.steps).toBe(applyPreset(ablation, 'smoke').steps);
    expect(base.config.optimizer.lr).toBe(ablation.base.optimizer.lr);
    expect(base.config.schedule).toBe(ablation.base.schedule);
    // He-normal is the implicit default: the model config does not name it ...
    expect('init' in plain.config.model).toBe(false);
    expect(base.config.model.init).toBe(ablation.base.model.init);
    // ... and a variant without overrides keeps the id it had before overrides existed.
    expect(base.runId).toBe(resolveRuns(ablation, { preset: 'smoke', only: ['switch'] })[0].runId);
    expect(new Set([fast.configHash, plain.configHash, base.configHash]).size).toBe(3);
  });

  test('a bad override is an error naming the variant, the preset and the field', () => {
    const e = clone();
    e.variants[0] = { ...e.variants[0], overrides: { optimizer: { lr: -1 } } };
    expect(() => defineExperiment(e)).toThrow(/variant 'switch' overrides:[\s\S]*optimizer\.lr/);
    const typo = clone();
    typo.variants[0] = { ...typo.variants[0], overrides: { model: { inti: 'he-normal' } } as never };
    expect(() => defineExperiment(typo)).toThrow(/variant 'switch' overrides:[\s\S]*model: Unrecognized key: "inti"/);
    const init = clone();
    init.variants[0] = { ...init.variants[0], overrides: { model: { init: 'xavier' } } as never };
    expect(() => defineExperiment(init)).toThrow(/model\.init/);
  });
});
