import { defineExperiment, type Experiment } from '@unpool/results';
import ablation from './ablation.js';

/**
 * Is ratio unpooling's gain an artefact of a training setting that suits it? This sweep trains the two
 * baselines (switch, Bayesian switch) and ratio unpooling with every combination of learning rate, schedule
 * and initialisation below, on the ablation's data and training scale (only the evaluation is lighter), and
 * the ablation adopts the setting that is best FOR THE BASELINES (report: "Sweep").
 *
 * The full grid (48 variants x 2 seeds at 400 steps) takes about four hours of two cores, so it is pruned by
 * stages (README, "The sweep"):
 *   1. `screen`: the two baselines, seed 0, 300 steps (the schedule scaled to them). First the learning
 *      rate: all four with He-normal and a constant schedule; then the other three schedule x init
 *      combinations at the two learning rates with the best mean baseline mIoU there (20 of 32 cells);
 *   2. `cpu`: the two settings with the best mean baseline mIoU in stage 1, all three models, seeds 0 and 1,
 *      at the ablation's 400 steps. The ablation adopts the stage-2 setting with the best mean baseline mIoU.
 */
export const LEARNING_RATES = [5e-4, 1e-3, 2e-3, 4e-3] as const;
export const SCHEDULES = ['constant', 'poly'] as const;
export const INITS = ['he-normal', 'torch-default'] as const;
const MODELS = [
  { name: 'switch', unpool: 'switch', bayesian: false, label: 'SegNet, switch unpooling (baseline)' },
  { name: 'bayes-switch', unpool: 'switch', bayesian: true, label: 'Bayesian SegNet, switch unpooling (baseline)' },
  { name: 'ratio', unpool: 'ratio', bayesian: false, label: 'SegNet, ratio unpooling' },
] as const;

/** `1e-3` for 0.001: a variant-name-safe spelling of a learning rate. */
const lrTag = (lr: number) => lr.toExponential().replace('+', '');
const INIT_TAG = { 'he-normal': 'he', 'torch-default': 'torch' } as const;

const variants: Experiment['variants'] = [];
for (const init of INITS) {
  for (const schedule of SCHEDULES) {
    for (const lr of LEARNING_RATES) {
      for (const m of MODELS) {
        variants.push({
          name: `${m.name}-lr${lrTag(lr)}-${schedule}-${INIT_TAG[init]}`,
          unpool: m.unpool,
          bayesian: m.bayesian,
          label: `${m.label}; Adam ${lr}, ${schedule}, ${init} init`,
          overrides: { optimizer: { name: 'adam', lr }, schedule, model: { init } },
        });
      }
    }
  }
}

// Selection needs the final score only: one evaluation at the end, 8 MC samples, no curve, no images.
const lightEvaluation = { evalEvery: ablation.base.steps, mcSamples: 8, curveMcSamples: 1, curveEvalSize: 50, samples: 0, checkpointEvery: 100 };

export default defineExperiment({
  name: 'sweep',
  description: 'Learning rate x schedule x initialisation for the baselines and ratio unpooling (the ablation adopts the best for the baselines)',
  data: ablation.data,
  variants,
  base: { ...ablation.base, ...lightEvaluation, seeds: [0, 1] },
  presets: {
    smoke: { ...ablation.presets.smoke, evalEvery: 6, samples: 0 },
    screen: { steps: 300, evalEvery: 300, seeds: [0] },
    cpu: {},
  },
  defaultPreset: 'cpu',
});
