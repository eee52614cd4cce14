import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect, test } from 'vitest';
import { slurmSubmissionPaths, writeJsonAtomic, type LoadedRun, type SlurmSubmission } from '@unpool/results';
import { slurmNote, withSlurmNote } from '../src/slurm_note.js';

const record = (over: Partial<SlurmSubmission>): SlurmSubmission => ({
  version: 1,
  submitId: 'a',
  experiment: 'exp1',
  preset: 'smoke',
  only: null,
  seeds: null,
  shards: [
    { task: 0, runIds: ['switch-s0-11111111'] },
    { task: 1, runIds: ['ratio-s0-22222222'] },
  ],
  submittedAt: '2026-11-30T07:00:00.000Z',
  user: 'me',
  host: 'login1',
  checkout: '/src',
  git: { commit: null, dirty: null },
  argv: [],
  options: { partition: null, gpusPerTask: null, cpusPerTask: '1', time: null, sbatchArgs: [] },
  runsRoot: '/runs',
  reportOut: null,
  arrayJobId: '1234',
  followUpJobId: '1235',
  partition: 'gpu',
  ...over,
});

const run = (root: string, runId: string, createdAt: string) =>
  ({ runId, dir: path.join(root, 'exp1', runId), config: { createdAt }, result: null, metrics: [], problems: [] }) as unknown as LoadedRun;

test('a run is attributed to the latest Slurm submission that gave it to a task before its folder was created', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'slurm-note-'));
  expect(slurmNote(run(root, 'ratio-s0-22222222', '2026-11-30T08:00:00Z'))).toBeNull();
  writeJsonAtomic(slurmSubmissionPaths(root, 'exp1', 'a').record, record({}));
  writeJsonAtomic(slurmSubmissionPaths(root, 'exp1', 'b').record, record({ submitId: 'b', submittedAt: '2026-11-30T07:30:00.000Z', arrayJobId: '1300', partition: null, shards: [{ task: 0, runIds: ['ratio-s0-22222222'] }] }));
  expect(slurmNote(run(root, 'ratio-s0-22222222', '2026-11-30T08:00:00Z'))).toBe('Slurm array 1300 task 0');
  expect(slurmNote(run(root, 'ratio-s0-22222222', '2026-11-30T07:10:00Z'))).toBe('Slurm array 1234 task 1, partition gpu');
  // Created before any submission: trained some other way, whatever the records say.
  expect(slurmNote(run(root, 'ratio-s0-22222222', '2026-11-30T06:00:00Z'))).toBeNull();
  expect(slurmNote(run(root, 'nearest-s0-33333333', '2026-11-30T08:00:00Z'))).toBeNull();
  expect(withSlurmNote('wasm (1 thread)', run(root, 'switch-s0-11111111', '2026-11-30T07:10:00Z'))).toBe('wasm (1 thread); ran as Slurm array 1234 task 0, partition gpu');
  expect(withSlurmNote('wasm (1 thread)', null)).toBe('wasm (1 thread)');
});
