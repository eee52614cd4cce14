import type { slurmSubmissionPaths } from '@unpool/results';

/** What the two batch scripts of one `exp slurm` submission are made of. */
export interface SlurmScriptSpec {
  experiment: string;
  preset: string;
  submitId: string;
  /** Number of array tasks; task i runs shard i/tasks of the grid. */
  tasks: number;
  runs: number;
  /** The checkout the jobs run in. */
  checkout: string;
  /** How to start the `exp` CLI (node with its loader flags and the entry script). */
  exp: string[];
  paths: ReturnType<typeof slurmSubmissionPaths>;
  /** Grid and engine flags passed on to every task's `exp run` (--only, --seeds, --backend, ...). */
  runArgs: string[];
  partition: string | null;
  gpusPerTask: string | null;
  cpusPerTask: string;
  time: string | null;
  /** Extra sbatch options, each written as one `#SBATCH` line in both scripts. */
  sbatchArgs: string[];
}

/** Single-quotes a word for bash (the one character single quotes cannot hold is spliced in). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Slurm's `--array` value for n tasks numbered like shards: 0..n-1. */
export function arrayRange(tasks: number): string {
  if (!Number.isInteger(tasks) || tasks < 1) throw new Error(`array task count must be a positive integer, got ${tasks}`);
  return `0-${tasks - 1}`;
}

const directives = (options: [string, string | null][]) =>
  options.filter((o): o is [string, string] => o[1] !== null).map(([k, v]) => `#SBATCH --${k}=${v}`);

/** Options both jobs share: where they run, and whatever else the user passed to sbatch. */
function commonDirectives(s: SlurmScriptSpec): string[] {
  return [...directives([['chdir', s.checkout], ['partition', s.partition]]), ...s.sbatchArgs.map((a) => `#SBATCH ${a}`)];
}

function expFunction(s: SlurmScriptSpec): string {
  return `exp() { ${s.exp.map(shellQuote).join(' ')} "$@"; }`;
}

/** The array job: task i trains shard i/n into its own runs folder and appends to its own log. */
export function arrayScript(s: SlurmScriptSpec): string {
  const run = ['exp', 'run', s.experiment, '--preset', s.preset, ...s.runArgs].map(shellQuote).join(' ');
  return [
    '#!/bin/bash',
    `# exp slurm ${s.experiment}, preset ${s.preset}: ${s.runs} run(s) in ${s.tasks} array task(s), submission ${s.submitId}.`,
    '# Task i trains shard i/n of the grid (runs dealt round-robin in grid order) into its own runs folder; a',
    '# requeued or preempted task resumes its runs from their checkpoints. The follow-up job merges the folders.',
    ...directives([
      ['job-name', `exp-${s.experiment}`],
      ['array', arrayRange(s.tasks)],
      ['cpus-per-task', s.cpusPerTask],
      ['gpus-per-task', s.gpusPerTask],
      ['time', s.time],
      ['output', s.paths.taskLogPattern],
      // A requeued task appends to the log of its first attempt instead of truncating it.
      ['open-mode', 'append'],
    ]),
    '#SBATCH --requeue',
    ...commonDirectives(s),
    'set -euo pipefail',
    expFunction(s),
    `tasks_dir=${shellQuote(s.paths.tasks)}`,
    'echo "[slurm] array job ${SLURM_ARRAY_JOB_ID} task ${SLURM_ARRAY_TASK_ID} (job ${SLURM_JOB_ID}, restart ${SLURM_RESTART_COUNT:-0}) on $(hostname) at $(date -u +%FT%TZ)"',
    `${run} --shard "\${SLURM_ARRAY_TASK_ID}/${s.tasks}" --out "\${tasks_dir}/\${SLURM_ARRAY_TASK_ID}" --jobs 1 --threads "\${SLURM_CPUS_PER_TASK:-1}" --no-report`,
    '',
  ].join('\n');
}

/** The follow-up job: once every array task has ended (however), merge their runs and render the report. */
export function followUpScript(s: SlurmScriptSpec, arrayJobId: string): string {
  return [
    '#!/bin/bash',
    `# exp slurm ${s.experiment}, submission ${s.submitId}: after array job ${arrayJobId} has ended, merge the tasks'`,
    '# runs into the runs folder, render the report and record the grid status (finished.json).',
    ...directives([
      ['job-name', `exp-${s.experiment}-finish`],
      ['dependency', `afterany:${arrayJobId}`],
      ['cpus-per-task', '1'],
      ['output', s.paths.followUpLog],
      ['open-mode', 'append'],
    ]),
    ...commonDirectives(s),
    'set -euo pipefail',
    expFunction(s),
    `exp slurm-finish ${shellQuote(s.paths.dir)}`,
    '',
  ].join('\n');
}
