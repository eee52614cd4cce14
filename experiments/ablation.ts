import { defineExperiment } from '@unpool/results';

/** The training setting picked once before the sweep; presets whose committed runs used it pin it. */
const BEFORE_SWEEP = { optimizer: { name: 'adam', lr: 1e-3 }, schedule: 'constant', init: 'he-normal' } as const;

/**
 * The paper's Table 1 on the embedded synthetic street scenes: SegNet with switch unpooling (the
 * baseline) vs ratio unpooling, each also as Bayesian SegNet (MC dropout, 25 samples), trained on the
 * city style and evaluated on city val and on the KITTI-like style (the domain-shift column), plus nearest
 * unpooling as the switch-free control the paper omits.
 */
export default defineExperiment({
  name: 'ablation',
  description: 'Switch vs ratio unpooling in SegNet and Bayesian SegNet (Table 1, Fig. 3 of the paper)',
  data: {
    train: { kind: 'synth', style: 'city', split: 'train' },
    eval: [
      { name: 'synth-city', label: 'synth-city val (Cityscapes stand-in)', data: { kind: 'synth', style: 'city', split: 'val' } },
      { name: 'synth-kitti', label: 'synth-kitti (KITTI stand-in)', data: { kind: 'synth', style: 'kitti', split: 'val' } },
    ],
  },
  variants: [
    { name: 'switch', unpool: 'switch', bayesian: false, label: 'SegNet, switch unpooling (baseline)' },
    { name: 'ratio', unpool: 'ratio', bayesian: false, label: 'SegNet, ratio unpooling' },
    { name: 'bayes-switch', unpool: 'switch', bayesian: true, label: 'Bayesian SegNet, switch unpooling' },
    { name: 'bayes-ratio', unpool: 'ratio', bayesian: true, label: 'Bayesian SegNet, ratio unpooling' },
    { name: 'nearest', unpool: 'nearest', bayesian: false, label: 'SegNet, nearest unpooling (control)' },
  ],
  base: {
    // Training setting: the sweep's winner for the BASELINES (experiments/sweep.ts, reports/sweep/): Adam
    // 4e-3 with a poly schedule from PyTorch's default initialisation (it was Adam 1e-3, constant, He-normal).
    model: { preset: 'mini', dropout: 0.5, init: 'torch-default' },
    height: 64,
    width: 192,
    batchSize: 8,
    steps: 400,
    trainSize: 2000,
    evalSize: 200,
    evalEvery: 50,
    mcSamples: 25,
    curveMcSamples: 4,
    curveEvalSize: 100,
    logEvery: 10,
    checkpointEvery: 50,
    seeds: [0],
    optimizer: { name: 'adam', lr: 4e-3 },
    schedule: 'poly',
    classWeights: 'median-frequency',
    voidAsClass: true,
    flip: true,
    samples: 8,
  },
  presets: {
    // CI-sized: every code path (all five variants, MC sampling, resume) in a couple of minutes.
    smoke: {
      model: { widths: [8, 8, 16, 16] },
      height: 32,
      width: 96,
      batchSize: 2,
      steps: 6,
      trainSize: 16,
      evalSize: 4,
      evalEvery: 3,
      mcSamples: 3,
      curveMcSamples: 2,
      curveEvalSize: 4,
      logEvery: 2,
      checkpointEvery: 2,
      samples: 2,
    },
    // The README default: SegNet-mini on 2 CPU cores, all five variants x 3 seeds in under 30 minutes
    // (`--jobs auto`). Traded for that: 400 steps (600 before), 8 MC samples at the final evaluation of
    // the Bayesian variants (the paper: 25) and 2 for their curve points.
    cpu: { seeds: [0, 1, 2], mcSamples: 8, curveMcSamples: 2 },
    // Convergence: 5x the default's steps, the poly schedule decaying the learning rate to zero over them
    // (use with --only switch,ratio,nearest); does the gap hold at the plateau?
    'cpu-long': { steps: 2000, schedule: 'poly', evalEvery: 100, checkpointEvery: 100 },
    // The models issue's acceptance run: switch vs ratio for 1000 steps (use with --only switch,ratio), in
    // the training setting of its time (before the sweep).
    'cpu-1k': { steps: 1000, optimizer: BEFORE_SWEEP.optimizer, schedule: BEFORE_SWEEP.schedule, model: { init: BEFORE_SWEEP.init } },
    // SegNet-VGG16 at the paper's input size for a few minutes of one GPU (scripts/gpu/device-check.sh):
    // checks the webgpu path end to end and measures the step cost; far from converged.
    'gpu-short': {
      model: { preset: 'vgg16', init: BEFORE_SWEEP.init },
      optimizer: BEFORE_SWEEP.optimizer,
      schedule: BEFORE_SWEEP.schedule,
      height: 128,
      width: 384,
      steps: 50,
      trainSize: 400,
      evalSize: 40,
      evalEvery: 25,
      curveEvalSize: 16,
      logEvery: 5,
      checkpointEvery: 25,
      samples: 4,
    },
    // SegNet-VGG16 as in the paper, for a GPU.
    paper: {
      model: { preset: 'vgg16' },
      height: 128,
      width: 384,
      steps: 3000,
      trainSize: 4000,
      evalSize: 500,
      evalEvery: 250,
      curveEvalSize: 200,
      seeds: [0, 1, 2],
      checkpointEvery: 250,
    },
  },
  defaultPreset: 'cpu',
});
