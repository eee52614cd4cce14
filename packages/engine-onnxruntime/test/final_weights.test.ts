import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { selectBackend } from '@unpool/runtime';
import { defineExperiment, listRuns, runExperiment } from '@unpool/exp';
import ablation from '../../../experiments/ablation.js';
import { registerOnnxruntimeEngine } from '../src/index.js';

beforeAll(async () => {
  await selectBackend('cpu');
  registerOnnxruntimeEngine();
});

// This engine keeps the weights in ONNX Runtime between steps and hands them to the model only when synced:
// the final non-finite check must see the synced weights, not the ones from before the last update.
test('weights that end non-finite in the ORT trainer make the run diverged, not completed', async () => {
  const experiment = defineExperiment({
    ...ablation,
    name: 'inf-weights-ort',
    base: { ...ablation.base, optimizer: { name: 'adam', lr: 1e39 } },
    presets: { smoke: { ...ablation.presets.smoke, steps: 1 } },
    defaultPreset: 'smoke',
  });
  const runsRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'inf-weights-ort-'));
  try {
    const { outcomes } = await runExperiment(experiment, { preset: 'smoke', only: ['switch'], runsRoot, backend: { name: 'cpu' }, engine: 'onnxruntime' });
    expect(outcomes[0].status).toBe('diverged');
    const [run] = listRuns(runsRoot, 'inf-weights-ort');
    expect(run.config?.engine).toMatchObject({ name: 'onnxruntime' });
    expect(run.result).toMatchObject({ status: 'diverged', step: 1, evals: {} });
    expect(run.result!.error).toMatch(/diverged at step 1: \d+ of \d+ stored weights are not finite after the last update/);
  } finally {
    fs.rmSync(runsRoot, { recursive: true, force: true });
  }
}, 120_000);
