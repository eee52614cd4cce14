import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { listRuns, resolveRuns, shardRuns, slurmSubmissionPaths } from '@unpool/exp';
import ablation from '../../../experiments/ablation.js';
import { slurmCommand } from '../src/commands/slurm.js';
import { arrayRange, arrayScript, followUpScript, shellQuote, type SlurmScriptSpec } from '../src/slurm/scripts.js';
import { shardFromSlurmEnv } from '../src/slurm/shard_env.js';
import { hasEnded, parseSbatchJobId, parseSqueue } from '../src/slurm/slurm_tools.js';
import { newSubmitId, taskCount, taskShards } from '../src/slurm/submission.js';
import { etaSeconds } from '../src/slurm/wait.js';
import { missingSlurmPackages } from './local_slurm.js';

const root = path.resolve(__dirname, '../../..');
const cli = path.join(root, 'packages/cli/src/main.ts');
const exp = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), '--conditions=@unpool/source', cli, ...args], { cwd: root, encoding: 'utf8', env });

/** Slurm's environment for task `id` of an array submitted with --array=<min>-<max>[:step]. */
const arrayEnv = (id: number, min: number, max: number, step = 1) => ({
  SLURM_ARRAY_TASK_ID: String(id),
  SLURM_ARRAY_TASK_MIN: String(min),
  SLURM_ARRAY_TASK_MAX: String(max),
  SLURM_ARRAY_TASK_STEP: String(step),
  SLURM_ARRAY_TASK_COUNT: String(Math.floor((max - min) / step) + 1),
});

function spec(over: Partial<SlurmScriptSpec> = {}): SlurmScriptSpec {
  const runsRoot = "/data/it's mine/runs";
  return {
    experiment: 'ablation',
    preset: 'smoke',
    submitId: '20261130-000000-abcd',
    tasks: 3,
    runs: 5,
    checkout: '/src/lab',
    exp: ['/usr/bin/node', '/src/lab/main.ts'],
    paths: slurmSubmissionPaths(runsRoot, 'ablation', '20261130-000000-abcd'),
    runArgs: ['--only', 'switch,ratio'],
    partition: null,
    gpusPerTask: null,
    cpusPerTask: '1',
    time: null,
    sbatchArgs: [],
    ...over,
  };
}

describe('batch scripts', () => {
  test('shell quoting survives bash for awkward words', () => {
    const words = ["it's", 'a b', '$HOME', '`id`', 'x"y', '*', '', 'plain/path-1.2:3', 'new\nline'];
    const r = spawnSync('bash', ['-c', `printf '%s\\0' ${words.map(shellQuote).join(' ')}`], { encoding: 'utf8' });
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(words);
  });

  test('the array script runs shard i/n of the grid into task i\'s folder, under bash as Slurm starts it', () => {
    const s = spec({ exp: ['printf', '%s\\n'], partition: 'gpu', gpusPerTask: '1', time: '02:00:00', sbatchArgs: ['--qos=high', '--account=lab'] });
    const text = arrayScript(s);
    const lines = text.split('\n');
    expect(lines.filter((l) => l.startsWith('#SBATCH'))).toEqual([
      '#SBATCH --job-name=exp-ablation',
      '#SBATCH --array=0-2',
      '#SBATCH --cpus-per-task=1',
      '#SBATCH --gpus-per-task=1',
      '#SBATCH --time=02:00:00',
      `#SBATCH --output=${s.paths.logs}/task-%a.log`,
      '#SBATCH --open-mode=append',
      '#SBATCH --requeue',
      '#SBATCH --chdir=/src/lab',
      '#SBATCH --partition=gpu',
      '#SBATCH --qos=high',
      '#SBATCH --account=lab',
    ]);
    // sbatch stops reading directives at the first command line.
    expect(lines.findIndex((l) => l && !l.startsWith('#'))).toBeGreaterThan(lines.findLastIndex((l) => l.startsWith('#SBATCH')));
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'array-script-')), 'array.sbatch');
    fs.writeFileSync(file, text);
    const r = spawnSync('bash', [file], { encoding: 'utf8', env: { PATH: process.env.PATH, SLURM_ARRAY_JOB_ID: '41', SLURM_JOB_ID: '43', SLURM_CPUS_PER_TASK: '4', ...arrayEnv(2, 0, 2) } });
    expect(r.status, r.stderr).toBe(0);
    const [banner, ...args] = r.stdout.trimEnd().split('\n');
    expect(banner).toMatch(/^\[slurm\] array job 41 task 2 \(job 43, restart 0\) on /);
    expect(args).toEqual(['run', 'ablation', '--preset', 'smoke', '--only', 'switch,ratio', '--shard', '2/3', '--out', s.paths.taskRoot(2), '--jobs', '1', '--threads', '4', '--no-report']);
  });

  test('the follow-up job depends on the whole array and runs slurm-finish on the submission folder; optional directives stay out', () => {
    const s = spec();
    const text = followUpScript(s, '41');
    expect(text).toContain('#SBATCH --dependency=afterany:41\n');
    expect(text).toContain(`#SBATCH --output=${s.paths.followUpLog}\n`);
    expect(text).not.toMatch(/--partition|--gpus|--time|--requeue/);
    expect(text.trimEnd().split('\n').at(-1)).toBe(`exp slurm-finish ${shellQuote(s.paths.dir)}`);
    expect(arrayScript(s)).not.toMatch(/--partition|--gpus|--time=/);
  });
});

describe('array arithmetic', () => {
  const runs = resolveRuns(ablation, { preset: 'paper' });

  test('for every task count, the tasks split the grid into disjoint, balanced shards that cover it', () => {
    expect(runs).toHaveLength(15);
    for (let n = 1; n <= runs.length; n++) {
      const shards = taskShards(runs, n);
      const all = shards.flatMap((s) => s.runIds);
      expect(all.sort()).toEqual(runs.map((r) => r.runId).sort());
      const sizes = shards.map((s) => s.runIds.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      expect(arrayRange(n)).toBe(`0-${n - 1}`);
      // What `exp run` derives from Slurm's environment is the shard the record promised that task.
      for (const { task, runIds } of shards) {
        const shard = shardFromSlurmEnv(arrayEnv(task, 0, n - 1))!;
        expect(shardRuns(runs, shard.index, shard.count).map((r) => r.runId)).toEqual(runIds);
      }
    }
  });

  test('a contiguous array not starting at 0 still maps onto shards; other arrays are errors that say what to do', () => {
    expect(shardFromSlurmEnv({})).toBeUndefined();
    expect(shardFromSlurmEnv(arrayEnv(3, 1, 4))).toEqual({ index: 2, count: 4 });
    // Older Slurm sets only the id and the count.
    expect(shardFromSlurmEnv({ SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '2' })).toEqual({ index: 1, count: 2 });
    expect(() => shardFromSlurmEnv(arrayEnv(2, 0, 4, 2))).toThrow(/array 0-4:2 with 3 task\(s\) is not a contiguous range.*pass --shard i\/n/);
    expect(() => shardFromSlurmEnv({ ...arrayEnv(5, 0, 5), SLURM_ARRAY_TASK_COUNT: '3' })).toThrow(/not a contiguous range/);
    expect(() => shardFromSlurmEnv({ SLURM_ARRAY_TASK_ID: 'x', SLURM_ARRAY_TASK_COUNT: '2' })).toThrow(/SLURM_ARRAY_TASK_ID=x: expected a non-negative integer/);
    expect(() => shardFromSlurmEnv({ SLURM_ARRAY_TASK_ID: '0' })).toThrow(/SLURM_ARRAY_TASK_COUNT=\(unset\)/);
  });

  test('task counts: one task per run by default, never more tasks than runs', () => {
    expect(taskCount(undefined, 15)).toEqual({ tasks: 15, note: null });
    expect(taskCount(4, 15)).toEqual({ tasks: 4, note: null });
    expect(taskCount(20, 15).tasks).toBe(15);
    expect(taskCount(20, 15).note).toMatch(/--tasks 20: the grid has 15 run\(s\)/);
  });
});

test('reading sbatch and squeue output', () => {
  expect(parseSbatchJobId('1234\n')).toBe('1234');
  expect(parseSbatchJobId('1234;cluster2\n')).toBe('1234');
  expect(() => parseSbatchJobId('Submitted batch job 1234')).toThrow(/could not read a job id/);
  expect(parseSqueue('12_0 RUNNING main\n12_1 PENDING main\n\n')).toEqual([
    { id: '12_0', state: 'RUNNING', partition: 'main' },
    { id: '12_1', state: 'PENDING', partition: 'main' },
  ]);
  expect(['COMPLETED', 'CANCELLED+', 'FAILED', 'TIMEOUT'].every(hasEnded)).toBe(true);
  expect(['PENDING', 'RUNNING', 'REQUEUED', 'COMPLETING', 'SUSPENDED'].some(hasEnded)).toBe(false);
  expect(newSubmitId(new Date('2026-11-30T07:04:05.123Z'), 'beef')).toBe('20261130-070405-beef');
  expect(etaSeconds(60, 0.2, 0.2)).toBeNull();
  expect(etaSeconds(60, 0.2, 0.5)).toBeCloseTo(100);
});

describe('the exp slurm command without a cluster', () => {
  test('--dry-run prints both scripts and writes nothing', () => {
    const runs = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'slurm-dry-')), 'runs');
    const r = exp(['slurm', 'ablation', '--preset', 'smoke', '--tasks', '2', '--out', runs, '--dry-run']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('#SBATCH --array=0-1\n');
    expect(r.stdout).toMatch(/--shard "\$\{SLURM_ARRAY_TASK_ID\}\/2"/);
    expect(r.stdout).toContain('#SBATCH --dependency=afterany:<array job id>\n');
    expect(r.stderr).toMatch(/dry run: 5 run\(s\) in 2 array task\(s\); nothing written or submitted/);
    expect(fs.existsSync(runs)).toBe(false);
  });

  test('no sbatch on PATH: says so, how to run the grid locally instead, and writes nothing', () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'slurm-nopath-'));
    const bin = path.join(base, 'bin');
    fs.mkdirSync(bin);
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
    const runs = path.join(base, 'runs');
    const r = exp(['slurm', 'ablation', '--preset', 'smoke', '--only', 'ratio', '--out', runs], { ...process.env, PATH: bin });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('`sbatch` is not on PATH');
    expect(r.stderr).toContain(`To run the same grid on this machine instead: pnpm exp run ablation --preset smoke --only ratio --out ${runs}`);
    expect(fs.existsSync(runs)).toBe(false);
  });

  test('bad flags fail before anything is written, naming the flag', async () => {
    const cases: [string[], RegExp][] = [
      [['--tasks', '0'], /--tasks: expected a positive integer, got '0'/],
      [['--sbatch-arg=qos=high'], /--sbatch-arg: 'qos=high' is not an sbatch option/],
      [['--partition', 'a\nb'], /--partition: 'a\nb' must be one non-empty line/],
      [['--backend', 'tpu'], /--backend: unknown backend 'tpu'/],
      [['--only', 'ratoi', '--dry-run'], /no variant 'ratoi'/],
      [['--sbatch-arg', '--qos=high'], /Option '--sbatch-arg' argument is ambiguous/],
    ];
    for (const [args, message] of cases) {
      await expect(slurmCommand(['ablation', '--preset', 'smoke', '--out', '/nonexistent/runs', ...args]), args.join(' ')).rejects.toThrow(message);
    }
  });
});

test('the cluster test names exactly the Debian packages whose programs are missing', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slurm-bin-'));
  expect(missingSlurmPackages([dir])).toEqual(['munge', 'slurmctld', 'slurmd', 'slurm-client']);
  for (const program of ['munged', 'slurmctld', 'sbatch', 'squeue', 'scontrol', 'scancel', 'sinfo']) fs.writeFileSync(path.join(dir, program), '');
  expect(missingSlurmPackages([dir])).toEqual(['slurmd']);
  fs.rmSync(path.join(dir, 'sinfo'));
  expect(missingSlurmPackages([dir])).toEqual(['slurmd', 'slurm-client']);
});

describe('exp run inside a Slurm array task', () => {
  test('without --shard, the task id picks the shard', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'slurm-env-run-'));
    const r = exp(['run', 'ablation', '--preset', 'smoke', '--only', 'switch,ratio', '--out', out, '--no-onnx', '--no-report'], { ...process.env, ...arrayEnv(1, 0, 1) });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('shard 1/2 (from SLURM_ARRAY_TASK_ID)');
    expect(listRuns(out, 'ablation').map((x) => x.runId.split('-s0-')[0])).toEqual(['ratio']);
  });

  test('an array that is not 0..n-1 stops before anything runs', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'slurm-env-bad-'));
    const r = exp(['run', 'ablation', '--preset', 'smoke', '--out', out], { ...process.env, ...arrayEnv(2, 0, 4, 2) });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/not a contiguous range.*pass --shard i\/n/);
    expect(fs.readdirSync(out)).toEqual([]);
  });
});

