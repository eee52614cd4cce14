import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { encode } from 'fast-png';
import {
  defineExperiment,
  metricsLineSchema,
  resolveRuns,
  resultSchema,
  runConfigFileSchema,
  samplesIndexSchema,
  type EvalScores,
  type Experiment,
  type MetricsLine,
  type ResolvedRun,
  type RunResult,
  type Variant,
} from '@unpool/results';

/**
 * Fixture run folders written the way the runner writes them, every file validated with the
 * @unpool/results schemas first. Scores follow closed-form rules (below) so tests can compute the expected
 * table by hand instead of trusting the code under test.
 */

export const SETS = ['synth-city', 'synth-kitti'] as const;

export function fixtureExperiment(): Experiment {
  return defineExperiment({
    name: 'fixture',
    description: 'Switch vs ratio unpooling (test fixture)',
    data: {
      train: { kind: 'synth', style: 'city', split: 'train' },
      eval: [
        { name: 'synth-city', label: 'synth-city val', data: { kind: 'synth', style: 'city', split: 'val' } },
        { name: 'synth-kitti', label: 'synth-kitti', data: { kind: 'synth', style: 'kitti', split: 'val' } },
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
      model: { preset: 'mini', widths: [8, 8, 16, 16], dropout: 0.5 },
      height: 8,
      width: 24,
      batchSize: 2,
      steps: 6,
      trainSize: 8,
      evalSize: 4,
      evalEvery: 3,
      mcSamples: 3,
      curveMcSamples: 2,
      curveEvalSize: 4,
      logEvery: 2,
      checkpointEvery: 2,
      seeds: [0],
      optimizer: { name: 'adam', lr: 1e-3 },
      schedule: 'constant',
      classWeights: 'median-frequency',
      voidAsClass: true,
      flip: false,
      samples: 4,
    },
    presets: { one: { seeds: [0] }, two: { seeds: [0, 1] }, three: { seeds: [0, 1, 2] } },
    defaultPreset: 'one',
  });
}

/** The class whose IoU is undefined (absent from truth and prediction) in every fixture run. */
export const ABSENT_CLASS = 16;
/** The class on which ratio is worse than switch in the fixtures. */
export const RATIO_WORSE_CLASS = 10;

/**
 * IoU (fraction) of class `c` (0..18, or 19 for void) for a variant, eval-set index and seed:
 * 0.20 + 0.02 c, +0.05 for ratio (-0.04 on RATIO_WORSE_CLASS), +0.01 for Bayesian, -0.03 per set index,
 * +0.01 per seed.
 */
export function fixtureIou(v: Variant, setIndex: number, c: number, seed: number): number | null {
  if (c === ABSENT_CLASS) return null;
  const ratio = v.unpool === 'ratio' ? (c === RATIO_WORSE_CLASS ? -0.04 : 0.05) : 0;
  return 0.2 + 0.02 * c + ratio + (v.bayesian ? 0.01 : 0) - 0.03 * setIndex + 0.01 * seed;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export function fixtureScores(v: Variant, setIndex: number, seed: number, bayesian: boolean): EvalScores {
  const iou = Array.from({ length: 19 }, (_, c) => fixtureIou(v, setIndex, c, seed));
  const iouVoid = fixtureIou(v, setIndex, 19, seed);
  const defined = iou.filter((x): x is number => x !== null);
  const off = (v.unpool === 'ratio' ? 0.1 : 0) - 0.05 * setIndex + 0.01 * seed;
  return {
    images: 4,
    mcSamples: bayesian ? 3 : 1,
    miou: mean(defined),
    iou,
    iouVoid,
    miou20Paper: mean([...defined, iouVoid!]),
    globalAccuracy: 0.8,
    meanClassAccuracy: 0.6,
    boundary: { d: 2, fscore: 0.4 + off, perClass: Array.from({ length: 19 }, () => 0.4), trimapIoU: 0.3 + off },
    uncertainty: bayesian ? { mcSamples: 3, meanEntropy: 0.5 - off / 2, entropyCorrect: 0.3, entropyIncorrect: 0.9, ece: 0.05 } : null,
  };
}

/** Per-image mIoU of the four saved images: switch and ratio differ so the selection rule has work to do. */
export const SAMPLE_MIOU: Record<'switch' | 'ratio' | 'nearest', number[]> = {
  switch: [0.3, 0.5, 0.4, 0.6],
  ratio: [0.5, 0.45, 0.4, 0.9],
  nearest: [0.3, 0.3, 0.3, 0.3],
};

function png(seed: number): Uint8Array {
  const w = 24;
  const h = 8;
  const data = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) {
    data[3 * i] = (i * 7 + seed * 40) % 256;
    data[3 * i + 1] = (i * 3 + seed * 90) % 256;
    data[3 * i + 2] = (i * 11) % 256;
  }
  return encode({ width: w, height: h, data, channels: 3, depth: 8 });
}

export interface RunFixtureOptions {
  status?: RunResult['status'];
  /** Write config.json + metrics.jsonl but no result.json. */
  noResult?: boolean;
  /** Overwrite config.json with text that fails the schema. */
  brokenConfig?: boolean;
  onnx?: Record<string, unknown>;
  /** Costs backend name. */
  backend?: string;
  samples?: boolean;
}

function writeJson(file: string, value: unknown) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Writes one run folder under `<root>/<experiment>/<runId>/`. */
export function writeRun(root: string, run: ResolvedRun, opts: RunFixtureOptions = {}): string {
  const c = run.config;
  const v = c.variant;
  const dir = path.join(root, c.experiment, run.runId);
  fs.mkdirSync(dir, { recursive: true });
  const status = opts.status ?? 'completed';
  const done = status === 'completed';
  const config = runConfigFileSchema.parse({
    schemaVersion: 1,
    experiment: c.experiment,
    runId: run.runId,
    variant: v.name,
    seed: c.seed,
    preset: run.preset,
    configHash: run.configHash,
    config: c,
    git: { commit: 'abcdef0123456789abcdef0123456789abcdef01', dirty: c.seed === 1 },
    backend: { name: opts.backend ?? 'wasm', threads: 1, simd: true, replacedKernels: [], versions: {} },
    versions: { '@tensorflow/tfjs': '4.22.0' },
    machine: { platform: 'linux', cpu: 'test cpu', cores: 2, memoryBytes: 8e9, gpu: null },
    createdAt: `2026-11-0${1 + c.seed}T10:00:00.000Z`,
  });
  writeJson(path.join(dir, 'config.json'), config);
  if (opts.brokenConfig) fs.writeFileSync(path.join(dir, 'config.json'), '{"schemaVersion": 2}\n');

  const lines: MetricsLine[] = [];
  const lastStep = done ? c.steps : Math.floor(c.steps / 2);
  for (let step = 2; step <= lastStep; step += 2) {
    lines.push(metricsLineSchema.parse({ type: 'train', step, loss: 3 / step + (v.unpool === 'ratio' ? 0 : 0.1) + 0.01 * c.seed, lr: 1e-3, secondsPerStep: 0.5, time: step }));
  }
  for (let step = 3; step <= lastStep; step += 3) {
    const s = fixtureScores(v, 0, c.seed, false);
    lines.push(
      metricsLineSchema.parse({
        type: 'eval',
        step,
        set: SETS[0],
        mcSamples: 1,
        miou: (s.miou! * step) / c.steps,
        miou20Paper: s.miou20Paper,
        iou: s.iou,
        iouVoid: s.iouVoid,
        globalAccuracy: s.globalAccuracy,
        time: step,
      }),
    );
  }
  fs.writeFileSync(path.join(dir, 'metrics.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  if (opts.noResult) return dir;

  const result = resultSchema.parse({
    schemaVersion: 1,
    experiment: c.experiment,
    runId: run.runId,
    variant: v.name,
    seed: c.seed,
    preset: run.preset,
    configHash: run.configHash,
    status,
    error: status === 'failed' ? 'Error: out of memory in Conv2DBackpropFilter' : status === 'diverged' ? 'loss is NaN at step 4' : null,
    step: lastStep,
    steps: c.steps,
    startedAt: `2026-11-0${1 + c.seed}T10:00:00.000Z`,
    finishedAt: status === 'running' ? null : `2026-11-0${1 + c.seed}T10:30:00.000Z`,
    wallSeconds: 1800,
    evals: done ? Object.fromEntries(SETS.map((set, i) => [set, fixtureScores(v, i, c.seed, v.bayesian)])) : {},
    costs: done
      ? {
          backend: opts.backend ?? 'wasm',
          params: v.unpool === 'nearest' ? 1000 : 1200,
          trainMsPerStep: 800 + 10 * c.seed + (v.unpool === 'switch' ? 50 : 0),
          inferenceMsPerImage: 20 + c.seed,
          inferenceMcMsPerImage: v.bayesian ? 60 + c.seed : null,
          peakTrainBytes: 300 * 2 ** 20,
          unpoolBytesPerImage: v.unpool === 'switch' ? 4096 : 0,
        }
      : null,
    ...(opts.onnx ? { onnx: opts.onnx } : {}),
  });
  writeJson(path.join(dir, 'result.json'), result);

  if (done && opts.samples !== false) {
    const sdir = path.join(dir, 'samples');
    const index = samplesIndexSchema.parse({
      sets: SETS.map((set) => ({
        set,
        images: SAMPLE_MIOU[v.unpool].map((miou, index) => {
          const base = `${set}-${String(index).padStart(3, '0')}`;
          return {
            index,
            id: `${set}/${index}`,
            miou,
            files: { input: `${base}-input.png`, truth: `${base}-truth.png`, prediction: `${base}-prediction.png`, entropy: v.bayesian ? `${base}-entropy.png` : null },
          };
        }),
      })),
    });
    writeJson(path.join(sdir, 'index.json'), index);
    index.sets.forEach((s, si) =>
      s.images.forEach((im) => {
        for (const [k, f] of Object.entries(im.files)) if (f) fs.writeFileSync(path.join(sdir, f), png(im.index + si + k.length + (k === 'prediction' && v.unpool === 'ratio' ? 3 : 0)));
      }),
    );
  }
  return dir;
}

export function tempRoot(prefix = 'unpool-report-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface Scenario {
  experiment: Experiment;
  preset: string;
  root: string;
  runs: ResolvedRun[];
}

/**
 * The main scenario on preset `three`: switch, ratio and bayes-ratio complete for all three seeds;
 * bayes-switch completes seed 0 only (seed 1 failed, seed 2 missing); nearest: seed 0 failed, seed 1
 * diverged, seed 2 missing (a variant with no numbers at all); plus a stray folder from another config.
 */
export function threeSeedScenario(): Scenario {
  const experiment = fixtureExperiment();
  const root = tempRoot();
  const runs = resolveRuns(experiment, { preset: 'three' });
  const find = (variant: string, seed: number) => runs.find((r) => r.config.variant.name === variant && r.config.seed === seed)!;
  for (const r of runs) {
    const { name } = r.config.variant;
    const seed = r.config.seed;
    if (name === 'bayes-switch' && seed === 1) writeRun(root, r, { status: 'failed' });
    else if (name === 'bayes-switch' && seed === 2) continue;
    else if (name === 'nearest' && seed === 0) writeRun(root, r, { status: 'failed' });
    else if (name === 'nearest' && seed === 1) writeRun(root, r, { status: 'diverged' });
    else if (name === 'nearest' && seed === 2) continue;
    else writeRun(root, r, r === find('ratio', 0) ? { onnx: { maxAbsDiff: 2.5e-6, argmaxAgreement: 0.9998, ortMsPerImage: 4.2, opset: 17, providers: ['cpu'] } } : {});
  }
  const other = resolveRuns(experiment, { preset: 'one', seeds: [7] })[0];
  writeRun(root, other);
  return { experiment, preset: 'three', root, runs };
}

/**
 * Preset `one` (a single seed): every variant completed except ratio, which failed; bayes-ratio is
 * still running; nearest has no readable config.json.
 */
export function oneSeedScenario(): Scenario {
  const experiment = fixtureExperiment();
  const root = tempRoot();
  const runs = resolveRuns(experiment, { preset: 'one' });
  for (const r of runs) {
    const { name } = r.config.variant;
    if (name === 'ratio') writeRun(root, r, { status: 'failed' });
    else if (name === 'bayes-ratio') writeRun(root, r, { status: 'running' });
    else if (name === 'nearest') writeRun(root, r, { brokenConfig: true });
    else writeRun(root, r);
  }
  return { experiment, preset: 'one', root, runs };
}

/** Preset `two`: everything completed, two seeds each. */
export function twoSeedScenario(): Scenario {
  const experiment = fixtureExperiment();
  const root = tempRoot();
  const runs = resolveRuns(experiment, { preset: 'two' });
  for (const r of runs) writeRun(root, r, { backend: r.config.seed === 1 && r.config.variant.name === 'switch' ? 'webgpu' : 'wasm' });
  return { experiment, preset: 'two', root, runs };
}
