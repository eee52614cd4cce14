import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect, test } from 'vitest';
import { acquireRunLock, listRuns, listSlurmSubmissions, SLURM_FOLDER, slurmSubmissionPaths } from '../src/index.js';

test('a requeued Slurm job takes over the lock its earlier incarnation left, even from another node; nothing else does', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slurm-lock-'));
  const lockFile = path.join(dir, 'lock');
  // Written by task 7's first incarnation on another node, with a pid that is alive here (our own).
  const leftBehind = JSON.stringify({ host: 'node-b', pid: process.pid, slurm: { job: '7', restart: 0 } });

  fs.writeFileSync(lockFile, leftBehind);
  acquireRunLock(dir, { SLURM_JOB_ID: '7', SLURM_RESTART_COUNT: '1' })();

  // Another job, the same incarnation (a second process of one job), or no Slurm at all: respected.
  for (const env of [{ SLURM_JOB_ID: '8', SLURM_RESTART_COUNT: '1' }, { SLURM_JOB_ID: '7' }, { SLURM_JOB_ID: '7', SLURM_RESTART_COUNT: '0' }, {}]) {
    fs.writeFileSync(lockFile, leftBehind);
    expect(() => acquireRunLock(dir, env)).toThrow(/locked by node-b/);
  }

  // The lock a Slurm task takes says which incarnation holds it.
  fs.rmSync(lockFile);
  const release = acquireRunLock(dir, { SLURM_JOB_ID: '9', SLURM_RESTART_COUNT: '2' });
  expect(JSON.parse(fs.readFileSync(lockFile, 'utf8')).slurm).toEqual({ job: '9', restart: 2 });
  release();
});

test('the slurm/ folder next to the runs is not a run; an unreadable submission record is reported, not fatal', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'slurm-store-'));
  const p = slurmSubmissionPaths(root, 'exp1', '20261130-000000-abcd');
  expect(path.relative(root, p.dir)).toBe(path.join('exp1', SLURM_FOLDER, '20261130-000000-abcd'));
  fs.mkdirSync(p.dir, { recursive: true });
  fs.writeFileSync(p.record, '{"version": 1, "submitId": "torn');
  fs.mkdirSync(path.join(root, 'exp1', 'switch-s0-12345678'));
  expect(listRuns(root, 'exp1').map((r) => r.runId)).toEqual(['switch-s0-12345678']);
  const { records, problems } = listSlurmSubmissions(path.join(root, 'exp1'));
  expect(records).toEqual([]);
  expect(problems).toHaveLength(1);
  expect(problems[0]).toContain(p.record);
});
