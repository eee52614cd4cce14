import * as fs from 'node:fs';
import * as path from 'node:path';
import { defineExperiment, resolveRuns, type Experiment, type ResolvedRun } from '@unpool/results';
import { fixtureExperiment, tempRoot, writeRun } from './fixture_runs.js';

/**
 * A small sweep (lr {1e-3, 2e-3} x schedule x init, three models) with run folders whose synth-city
 * mIoU is set per cell, so the ranking and the winner can be worked out by hand.
 */
export const LRS = [1e-3, 2e-3];
export const SCHEDULES = ['constant', 'poly'] as const;
export const INITS = ['he-normal', 'torch-default'] as const;
const MODELS = [
  { name: 'switch', unpool: 'switch', bayesian: false },
  { name: 'bayes-switch', unpool: 'switch', bayesian: true },
  { name: 'ratio', unpool: 'ratio', bayesian: false },
] as const;

export const cellName = (model: string, lr: number, schedule: string, init: string) => `${model}-lr${lr.toExponential().replace('+', '')}-${schedule}-${init === 'he-normal' ? 'he' : 'torch'}`;

export function sweepExperiment(): Experiment {
  const base = fixtureExperiment();
  const variants: Experiment['variants'] = [];
  for (const init of INITS)
    for (const schedule of SCHEDULES)
      for (const lr of LRS)
        for (const m of MODELS)
          variants.push({ name: cellName(m.name, lr, schedule, init), unpool: m.unpool, bayesian: m.bayesian, label: m.name, overrides: { optimizer: { name: 'adam', lr }, schedule, model: { init } } });
  return defineExperiment({
    ...base,
    name: 'sweep',
    description: 'fixture sweep',
    variants,
    presets: { smoke: { steps: 2 }, screen: { steps: 3, seeds: [0] }, cpu: { seeds: [0, 1] } },
    defaultPreset: 'cpu',
  });
}

/** Writes a completed run whose synth-city mIoU is `percent`. */
export function writeScoredRun(root: string, run: ResolvedRun, percent: number): void {
  const dir = writeRun(root, run, { samples: false });
  const file = path.join(dir, 'result.json');
  const result = JSON.parse(fs.readFileSync(file, 'utf8'));
  result.evals['synth-city'].miou = percent / 100;
  fs.writeFileSync(file, JSON.stringify(result));
}

/** Stage 1 (screen, seed 0): switch / Bayesian switch mIoU per setting key `init/schedule/lr`. */
export const STAGE1: Record<string, [number, number]> = {
  'he-normal/constant/0.001': [20, 18],
  'he-normal/constant/0.002': [24, 22],
  'he-normal/poly/0.001': [22, 20],
  'he-normal/poly/0.002': [26, 24],
  'torch-default/constant/0.001': [10, 8],
  'torch-default/constant/0.002': [12, 10],
  'torch-default/poly/0.001': [14, 12],
  'torch-default/poly/0.002': [16, 14],
};

/**
 * Stage 2 (cpu, seeds 0 and 1) for the two best settings of stage 1, per model and seed. Baseline scores:
 * poly 2e-3 (30.05 + 28) / 2 = 29.025, constant 2e-3 (30 + 27.95) / 2 = 28.975: within 0.1 points, so the
 * simpler constant schedule wins although poly scores higher.
 */
export const STAGE2: Record<string, Record<string, [number, number]>> = {
  'he-normal/poly/0.002': { switch: [30, 30.1], 'bayes-switch': [28, 28], ratio: [35, 36] },
  'he-normal/constant/0.002': { switch: [30, 30], 'bayes-switch': [27.9, 28], ratio: [40, 42] },
};

export function sweepScenario(): { experiment: Experiment; root: string } {
  const experiment = sweepExperiment();
  const root = tempRoot('unpool-sweep-');
  const key = (r: ResolvedRun) => `${r.config.model.init ?? 'he-normal'}/${r.config.schedule}/${r.config.optimizer.lr}`;
  for (const r of resolveRuns(experiment, { preset: 'screen' })) {
    const model = r.config.variant.bayesian ? 'bayes-switch' : r.config.variant.unpool;
    if (model === 'ratio') continue;
    writeScoredRun(root, r, STAGE1[key(r)][model === 'switch' ? 0 : 1]);
  }
  for (const r of resolveRuns(experiment, { preset: 'cpu' })) {
    const cells = STAGE2[key(r)];
    if (!cells) continue;
    const model = r.config.variant.bayesian ? 'bayes-switch' : r.config.variant.unpool;
    writeScoredRun(root, r, cells[model][r.config.seed]);
  }
  return { experiment, root };
}
