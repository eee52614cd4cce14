import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, test } from 'vitest';
import { selectBackend } from '@unpool/runtime';
import { createSegNet, segnetConfig } from '@unpool/models';
import ablation from '../../../experiments/ablation.js';
import { acquireRunLock, createEngine, defineExperiment, evaluate, listRuns, openData, RunLockedError, runExperiment } from '../src/index.js';
import { NonFiniteOutputError } from '../src/evaluate.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

test('a NaN loss marks the run diverged at its step, keeps that step in metrics.jsonl, and the grid goes on', async () => {
  // Logged every 4 steps, while the loss turns non-finite at step 2: the loss is checked at every step.
  const experiment = defineExperiment({
    ...ablation,
    name: 'diverge',
    base: { ...ablation.base, optimizer: { name: 'sgd', lr: 1e30 } },
    presets: { ...ablation.presets, smoke: { ...ablation.presets.smoke, logEvery: 4 } },
  });
  const runsRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'diverge-'));
  const { outcomes } = await runExperiment(experiment, { preset: 'smoke', only: ['switch', 'ratio'], runsRoot, backend: { name: 'cpu' } });
  expect(outcomes.map((o) => o.status)).toEqual(['diverged', 'diverged']);
  const runs = listRuns(runsRoot, 'diverge');
  expect(runs.map((r) => r.result?.status)).toEqual(['diverged', 'diverged']);
  for (const run of runs) {
    const m = /diverged at step (\d+): loss is (NaN|Infinity)/.exec(run.result!.error!);
    expect(m).not.toBeNull();
    // The step it happened, not the last checkpoint's (0 here), and its metrics line.
    expect(Number(m![1])).toBe(2);
    expect(run.result!.step).toBe(2);
    expect(run.metrics.at(-1)).toMatchObject({ type: 'train', step: Number(m![1]), loss: null });
    expect(run.problems).toEqual([]);
  }
}, 120_000);

test('weights that end non-finite after the last update: diverged, never completed, no model and no scores', async () => {
  // The case: one Adam step at lr 1e39 leaves most weights Inf while the loss of that step was finite.
  const experiment = defineExperiment({
    ...ablation,
    name: 'inf-weights',
    base: { ...ablation.base, optimizer: { name: 'adam', lr: 1e39 } },
    presets: { smoke: { ...ablation.presets.smoke, steps: 1 } },
    defaultPreset: 'smoke',
  });
  const runsRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'inf-weights-'));
  const { outcomes } = await runExperiment(experiment, { preset: 'smoke', only: ['ratio'], runsRoot, backend: { name: 'cpu' } });
  expect(outcomes[0].status).toBe('diverged');
  const [run] = listRuns(runsRoot, 'inf-weights');
  expect(run.result).toMatchObject({ status: 'diverged', step: 1, evals: {} });
  expect(run.result!.error).toMatch(/diverged at step 1: \d+ of \d+ stored weights are not finite after the last update/);
  expect(run.metrics.map((m) => [m.type, m.step])).toEqual([['train', 1]]);
  expect(fs.existsSync(path.join(run.dir, 'model'))).toBe(false);
  // Re-running does not turn it into a completed run either (no checkpoint of the broken weights was kept).
  const again = await runExperiment(experiment, { preset: 'smoke', only: ['ratio'], runsRoot, backend: { name: 'cpu' } });
  expect(again.outcomes[0].status).toBe('diverged');
}, 120_000);

test('evaluation refuses NaN predictions instead of scoring them as class 0', async () => {
  const model = createSegNet(segnetConfig({ preset: 'mini', widths: [8, 8, 16, 16], unpool: 'ratio', classes: 20 }), 0);
  const engine = createEngine('tfjs', model.config);
  const dataset = openData({ kind: 'synth', style: 'city', split: 'val' }, 2, 32, 96);
  try {
    const ok = await evaluate(model, dataset, { count: 2, batchSize: 2, mcSamples: 1, seed: 0, light: true }, engine);
    expect(ok.scores.images).toBe(2);
    const last = model.trainable[model.trainable.length - 1];
    last.assign(tf.fill(last.shape, NaN));
    await expect(evaluate(model, dataset, { count: 2, batchSize: 2, mcSamples: 1, seed: 0, light: true }, engine)).rejects.toThrow(NonFiniteOutputError);
  } finally {
    model.dispose();
    await engine.dispose();
  }
});

test('a run folder is locked against a second process; a lock left by a dead process is taken over', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lock-'));
  const release = acquireRunLock(dir);
  expect(() => acquireRunLock(dir)).toThrow(RunLockedError);
  release();
  const again = acquireRunLock(dir);
  again();
  // A lock file naming a process that no longer exists on this host.
  fs.writeFileSync(path.join(dir, 'lock'), JSON.stringify({ host: os.hostname(), pid: 2 ** 22 + 12345 }));
  const takeover = acquireRunLock(dir);
  takeover();
  // Another host's lock is respected even if the pid means nothing here.
  fs.writeFileSync(path.join(dir, 'lock'), JSON.stringify({ host: 'elsewhere', pid: 1 }));
  expect(() => acquireRunLock(dir)).toThrow(/locked by elsewhere/);
});
