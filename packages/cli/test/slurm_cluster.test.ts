import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { gitState, listRuns, readSlurmFinished, readSlurmSubmission, resolveRuns, SLURM_FOLDER, slurmSubmissionPaths, type SlurmSubmission } from '@unpool/exp';
import ablation from '../../../experiments/ablation.js';
import { startLocalSlurm, type LocalSlurm } from './local_slurm.js';

// A real one-node Slurm (Debian's slurmctld, slurmd, slurm-client, munge) started for this file only.
const root = path.resolve(__dirname, '../../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const cli = path.join(root, 'packages/cli/src/main.ts');
let cluster: LocalSlurm | undefined;

beforeAll(async () => {
  cluster = await startLocalSlurm();
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
}, 120_000);

const env = (extra: Record<string, string> = {}) => ({ ...process.env, ...cluster!.env, ...extra });
const slurm = (program: string, ...args: string[]) => {
  const r = spawnSync(program, args, { encoding: 'utf8', env: env() });
  if (r.status !== 0) throw new Error(`${program} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
};
const taskState = (jobId: string) => slurm('squeue', '--noheader', '--states=all', '--jobs', jobId, '--format=%T');

async function until<T>(what: string, timeoutMs: number, check: () => T | undefined | null | false): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000}s\n${cluster?.logs()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function submissionDirs(runsRoot: string): string[] {
  const dir = path.join(runsRoot, 'ablation', SLURM_FOLDER);
  return fs.existsSync(dir) ? fs.readdirSync(dir).map((d) => path.join(dir, d)) : [];
}

test('sbatch rejecting an option: its message verbatim, and nothing left behind', () => {
  const runs = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'slurm-reject-')), 'runs');
  const r = spawnSync(tsx, ['--conditions=@unpool/source', cli, 'slurm', 'ablation', '--preset', 'smoke', '--partition', 'nosuch', '--out', runs], { cwd: root, encoding: 'utf8', env: env() });
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/sbatch rejected the array job .*array\.sbatch\); nothing was submitted\. sbatch said:\n(sbatch: error: .*\n)*sbatch: error: Batch job submission failed: Invalid partition name specified\n/);
  expect(submissionDirs(runs)).toEqual([]);
  expect(slurm('squeue', '--noheader')).toBe('');
});

test('exp slurm --wait: the smoke grid as a 2-task array plus the follow-up job; a task cancelled after its first checkpoint and requeued resumes from it', async () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'slurm-grid-'));
  const runs = path.join(base, 'runs');
  const report = path.join(base, 'report');
  // The bayes-ratio run stops after its checkpoint at step 2 (once per runs folder, so its requeued task goes on).
  const child = spawn(tsx, ['--conditions=@unpool/source', cli, 'slurm', 'ablation', '--preset', 'smoke', '--tasks', '2', '--out', runs, '--report-out', report, '--wait', '--poll', '2'], {
    cwd: root,
    env: env({ UNPOOL_TEST_HANG_AFTER_CHECKPOINT: 'bayes-ratio:2' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const record: SlurmSubmission = await until('the submission record with both job ids', 60_000, () => {
      const file = submissionDirs(runs).map((d) => path.join(d, 'submission.json')).find((f) => fs.existsSync(f));
      const r = file ? readSlurmSubmission(file) : null;
      return r?.followUpJobId ? r : null;
    });
    const paths = slurmSubmissionPaths(runs, 'ablation', record.submitId);
    const killed = record.shards.find((s) => s.runIds.some((id) => id.startsWith('bayes-ratio')))!;
    const taskJob = `${record.arrayJobId}_${killed.task}`;
    const taskRoot = paths.taskRoot(killed.task);
    await until('the bayes-ratio run reaching its first checkpoint', 180_000, () => fs.existsSync(taskRoot) && fs.readdirSync(taskRoot).some((f) => f.startsWith('.checkpointed-')));

    // Keep the follow-up job from starting while the array is briefly all ended (the other task may be done).
    slurm('scontrol', 'hold', record.followUpJobId!);
    slurm('scancel', taskJob);
    await until('the cancelled task to end', 60_000, () => taskState(taskJob) === 'CANCELLED');
    const interrupted = listRuns(taskRoot, 'ablation').find((r) => r.runId.startsWith('bayes-ratio'))!;
    expect(interrupted.result?.status).toBe('running');
    expect(Math.max(...interrupted.metrics.map((m) => m.step))).toBe(2);
    expect(fs.existsSync(path.join(interrupted.dir, 'checkpoint', `step-${String(2).padStart(8, '0')}`, 'manifest.json'))).toBe(true);
    // Slurm starts it again once the old incarnation's credential has expired (cred_expire, 10 s here).
    slurm('scontrol', 'requeue', taskJob);
    slurm('scontrol', 'release', record.followUpJobId!);

    const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 240_000))]);
    expect(code, `exp slurm --wait\n${stdout}\n${stderr}\n${cluster?.logs()}`).toBe(0);
    expect(stdout).toContain(`Slurm array job ${record.arrayJobId} (2 task(s), partition main) and follow-up job ${record.followUpJobId}`);
    expect(stderr).toMatch(/exp slurm: ablation \(smoke\): 5 completed/);

    // The record: who, when, what, the exact scripts, the array arithmetic.
    expect(record.user).toBe(os.userInfo().username);
    expect(record.git.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(record.git).toEqual(gitState(root));
    // A dirty checkout is submitted with a warning (the tasks run whatever is checked out when they start).
    expect(stderr.includes('has uncommitted changes: the tasks will run whatever is checked out')).toBe(record.git.dirty);
    expect(record.partition).toBe('main');
    expect(fs.readFileSync(paths.arrayScript, 'utf8')).toContain('#SBATCH --array=0-1\n');
    expect(fs.readFileSync(paths.followUpScript, 'utf8')).toContain(`#SBATCH --dependency=afterany:${record.arrayJobId}\n`);
    const expected = resolveRuns(ablation, { preset: 'smoke' }).map((r) => r.runId);
    expect(record.shards.flatMap((s) => s.runIds).sort()).toEqual([...expected].sort());

    // Every run of the grid trained in exactly one task, completed, and was merged; the report exists.
    const perTask = record.shards.map((s) => listRuns(paths.taskRoot(s.task), 'ablation').map((r) => r.runId).sort());
    expect(perTask).toEqual(record.shards.map((s) => [...s.runIds].sort()));
    const merged = listRuns(runs, 'ablation');
    expect(merged.map((r) => r.runId).sort()).toEqual([...expected].sort());
    for (const r of merged) expect([r.runId, r.result?.status, r.problems]).toEqual([r.runId, 'completed', []]);
    const logs = record.shards.map((s) => fs.readFileSync(paths.taskLog(s.task), 'utf8')).join('\n');
    for (const id of expected) expect(logs.match(new RegExp(`${id}\\] completed in`, 'g'))?.length, id).toBe(1);
    expect(readSlurmFinished(paths.finished)).toMatchObject({ exitCode: 0, counts: { completed: 5 }, notCompleted: [] });
    const html = fs.readFileSync(path.join(report, 'index.html'), 'utf8');
    expect(html).toContain(`ran as Slurm array ${record.arrayJobId} task ${killed.task}, partition main`);

    // The cancelled task ran twice (appending to its log) and resumed bayes-ratio from step 2.
    const taskLog = fs.readFileSync(paths.taskLog(killed.task), 'utf8');
    expect(taskLog).toMatch(/CANCELLED/);
    expect(taskLog).toMatch(/task \d+ \(job \d+, restart 1\)/);
    expect(taskLog).toMatch(/bayes-ratio-s0-\w+\] resuming from checkpoint at step 2\/6/);
    const resumed = merged.find((r) => r.runId.startsWith('bayes-ratio'))!;
    const trainSteps = resumed.metrics.filter((m) => m.type !== 'eval').map((m) => m.step);
    expect(trainSteps).toEqual([...trainSteps].sort((a, b) => a - b));
    expect(new Set(trainSteps).size).toBe(trainSteps.length);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}, 480_000);
