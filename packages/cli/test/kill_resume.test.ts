import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect, test } from 'vitest';
import { listRuns } from '@unpool/exp';

const root = path.resolve(__dirname, '../../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const cli = path.join(root, 'packages/cli/src/main.ts');
const args = (out: string) => ['--conditions=@unpool/source', cli, 'run', 'ablation', '--preset', 'smoke', '--only', 'bayes-ratio,switch', '--backend', 'cpu', '--out', out, '--no-onnx', '--no-report', '--jobs', '1'];

function runToEnd(out: string) {
  const r = spawnSync(tsx, args(out), { cwd: root, encoding: 'utf8', env: { ...process.env, UNPOOL_TEST_HANG_AFTER_CHECKPOINT: '' } });
  if (r.status !== 0) throw new Error(`exp run failed (${r.status}):\n${r.stderr}`);
  return r;
}

test('kill -9 after a checkpoint, then the same command: completed runs are skipped, the killed one resumes and ends with the uninterrupted numbers', async () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'exp-kill-'));
  const straight = path.join(base, 'straight');
  const killed = path.join(base, 'killed');
  fs.mkdirSync(killed);

  runToEnd(straight);

  // First attempt: completes `switch`, then hangs right after the checkpoint at step 4 of `bayes-ratio`;
  // kill -9 it there.
  const child = spawn(tsx, args(killed), { cwd: root, env: { ...process.env, UNPOOL_TEST_HANG_AFTER_CHECKPOINT: 'bayes-ratio:4' }, stdio: 'ignore', detached: true });
  const deadline = Date.now() + 120_000;
  while (!fs.readdirSync(killed).some((f) => f.startsWith('.checkpointed-'))) {
    if (Date.now() > deadline) throw new Error('the run never reached its checkpoint');
    if (child.exitCode !== null) throw new Error(`exp run exited early with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  process.kill(-child.pid!, 'SIGKILL');
  await new Promise((r) => child.once('exit', r));
  // tsx runs the CLI in a child node process: give the kernel a moment to finish it off too.
  await new Promise((r) => setTimeout(r, 500));
  const interrupted = listRuns(killed, 'ablation');
  expect(interrupted.map((r) => [r.runId.split('-s')[0], r.result?.status])).toEqual([['bayes-ratio', 'running'], ['switch', 'completed']]);
  // No half-written file: every JSON that exists parses and validates.
  for (const r of interrupted) expect(r.problems.filter((p) => !p.includes('missing'))).toEqual([]);

  // Same command again: resumes (the log says so) and completes.
  const again = runToEnd(killed);
  expect(again.stderr).toMatch(/bayes-ratio.*resuming from checkpoint at step 4\/6/);
  expect(again.stderr.match(/already completed, skipped/g)?.length).toBe(1);

  const a = listRuns(straight, 'ablation');
  const b = listRuns(killed, 'ablation');
  expect(b.map((r) => r.runId)).toEqual(a.map((r) => r.runId));
  for (let i = 0; i < a.length; i++) {
    expect(b[i].result?.status).toBe('completed');
    expect(b[i].result?.evals).toEqual(a[i].result?.evals);
    const curve = (runs: typeof a, k: number) => runs[k].metrics.map((m) => (m.type === 'eval' ? [m.step, m.miou] : [m.step, m.loss]));
    expect(curve(b, i)).toEqual(curve(a, i));
  }

  // A third invocation finds everything completed and redoes nothing.
  const third = runToEnd(killed);
  expect(third.stderr.match(/already completed, skipped/g)?.length).toBe(2);
}, 600_000);
