import { describe, expect, test } from 'vitest';
import ablation from '../../../experiments/ablation.js';
import { applyPreset, configHash, defineExperiment, parseShard, resolveRuns, shardRuns, type Experiment } from '../src/index.js';

const clone = (): Experiment => JSON.parse(JSON.stringify(ablation));

describe('experiment definitions', () => {
  test('the ablation defines the five variants and its presets', () => {
    expect(ablation.variants.map((v) => v.name)).toEqual(['switch', 'ratio', 'bayes-switch', 'bayes-ratio', 'nearest']);
    expect(Object.keys(ablation.presets).sort()).toEqual(['cpu', 'cpu-1k', 'gpu-short', 'paper', 'smoke']);
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
