import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { selectBackend } from '@unpool/runtime';
import ablation from '../../../experiments/ablation.js';
import { defineExperiment, runExperiment } from '../src/index.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

test('a missing data root fails the whole command up front, naming the path, and writes nothing', async () => {
  const experiment = defineExperiment({
    ...ablation,
    name: 'missing-root',
    data: { ...ablation.data, train: { kind: 'cityscapes', root: '/no/such/cityscapes', split: 'train' } },
  });
  const runsRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-'));
  await expect(runExperiment(experiment, { preset: 'smoke', runsRoot, backend: { name: 'cpu' } })).rejects.toThrow(
    /training data of experiment 'missing-root'.*\/no\/such\/cityscapes.*does not exist/,
  );
  expect(fs.readdirSync(runsRoot)).toEqual([]);
});
