import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { selectBackend } from '@unpool/runtime';
import ablation from '../../../experiments/ablation.js';
import { acquireRunLock, defineExperiment, listRuns, RunLockedError, runExperiment } from '../src/index.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

test('a NaN loss marks the run diverged and the grid goes on', async () => {
  const experiment = defineExperiment({ ...ablation, name: 'diverge', base: { ...ablation.base, optimizer: { name: 'sgd', lr: 1e30 } } });
  const runsRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'diverge-'));
  const { outcomes } = await runExperiment(experiment, { preset: 'smoke', only: ['switch', 'ratio'], runsRoot, backend: { name: 'cpu' } });
  expect(outcomes.map((o) => o.status)).toEqual(['diverged', 'diverged']);
  const runs = listRuns(runsRoot, 'diverge');
  expect(runs.map((r) => r.result?.status)).toEqual(['diverged', 'diverged']);
  expect(runs[0].result?.error).toMatch(/diverged at step \d+: loss is (NaN|Infinity)/);
}, 120_000);

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
