import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  gitState,
  readSlurmSubmission,
  resolveRuns,
  slurmSubmissionPaths,
  writeFileAtomic,
  writeJsonAtomic,
  type Experiment,
  type SlurmSubmission,
} from '@unpool/exp';
import { csv, parse, seedList, UsageError } from '../args.js';
import { backendFlag, engineFlag } from '../engine_flags.js';
import { loadExperiment, repoRoot } from '../load_experiment.js';
import { selfCommand } from '../self_command.js';
import { arrayScript, followUpScript, type SlurmScriptSpec } from '../slurm/scripts.js';
import { scancel, sbatch, scontrolRelease, SlurmToolError, onPath, squeueJob } from '../slurm/slurm_tools.js';
import { dirtyTreeWarning, localRunCommand, newSubmitId, noSbatchMessage, taskCount, taskShards, whoAmI } from '../slurm/submission.js';
import { finishSubmission } from '../slurm/finish.js';
import { waitForSubmission } from '../slurm/wait.js';

export const slurmUsage = `exp slurm <experiment> [--preset p] [--tasks n] [--only v1,v2] [--seeds 0,1] [--out runs/]
        [--partition P] [--gpus-per-task g] [--cpus-per-task c] [--time hh:mm:ss] [--sbatch-arg=--opt=value]...
        [--backend b] [--engine e] [--no-onnx] [--report-out dir] [--dry-run] [--wait] [--poll seconds]`;
export const slurmFinishUsage = 'exp slurm-finish <runs/<experiment>/slurm/<submitId>>   (what the follow-up job of exp slurm runs)';

function parseSlurmArgs(argv: string[]) {
  return parse('slurm', argv, {
    preset: { type: 'string' },
    tasks: { type: 'string' },
    only: { type: 'string' },
    seeds: { type: 'string' },
    out: { type: 'string', default: 'runs' },
    partition: { type: 'string' },
    'gpus-per-task': { type: 'string' },
    'cpus-per-task': { type: 'string', default: '1' },
    time: { type: 'string' },
    'sbatch-arg': { type: 'string', multiple: true, default: [] as string[] },
    backend: { type: 'string' },
    engine: { type: 'string' },
    'no-onnx': { type: 'boolean', default: false },
    'report-out': { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    wait: { type: 'boolean', default: false },
    poll: { type: 'string', default: '15' },
  });
}

type Values = ReturnType<typeof parseSlurmArgs>['values'];

function positiveInt(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`${flag}: expected a positive integer, got '${text}'`);
  return Number(text);
}

/** Values that end up in #SBATCH lines: one line each, so no line breaks (sbatch judges the rest). */
function checkSbatchValues(values: Values): void {
  for (const [flag, v] of [['--partition', values.partition], ['--gpus-per-task', values['gpus-per-task']], ['--cpus-per-task', values['cpus-per-task']], ['--time', values.time], ...values['sbatch-arg']!.map((a) => ['--sbatch-arg', a])] as const) {
    if (v !== undefined && (/[\r\n]/.test(v) || !v.trim())) throw new UsageError(`${flag}: '${v}' must be one non-empty line`);
  }
  for (const a of values['sbatch-arg']!) {
    if (!a.startsWith('-')) throw new UsageError(`--sbatch-arg: '${a}' is not an sbatch option (write --sbatch-arg=--qos=high)`);
  }
}

/** The grid and engine flags every task's `exp run` gets (and a local run would take). */
function runFlags(values: Values): string[] {
  const flags: string[] = [];
  if (values.backend) backendFlag(values.backend);
  if (values.engine) engineFlag(values.engine);
  for (const key of ['only', 'seeds', 'backend', 'engine'] as const) if (values[key]) flags.push(`--${key}`, values[key]!);
  if (values['no-onnx']) flags.push('--no-onnx');
  return flags;
}

/** Everything `exp slurm` needs, validated before anything is written or submitted. */
async function plan(argv: string[]) {
  const { values, positionals } = parseSlurmArgs(argv);
  if (positionals.length !== 1) throw new UsageError(`usage: ${slurmUsage}`);
  checkSbatchValues(values);
  const requestedTasks = positiveInt('--tasks', values.tasks);
  positiveInt('--cpus-per-task', values['cpus-per-task']);
  const poll = positiveInt('--poll', values.poll)!;
  const flags = runFlags(values);
  const { experiment } = await loadExperiment(positionals[0]);
  const preset = values.preset ?? experiment.defaultPreset;
  const runs = resolveRuns(experiment, { preset, only: csv(values.only), seeds: seedList(values.seeds) });
  const { tasks, note } = taskCount(requestedTasks, runs.length);
  const runsRoot = path.resolve(values.out!);
  const submitId = newSubmitId(new Date());
  const paths = slurmSubmissionPaths(runsRoot, experiment.name, submitId);
  const checkout = repoRoot();
  const spec: SlurmScriptSpec = {
    experiment: experiment.name,
    preset,
    submitId,
    tasks,
    runs: runs.length,
    checkout,
    exp: selfCommand(),
    paths,
    runArgs: flags,
    partition: values.partition ?? null,
    gpusPerTask: values['gpus-per-task'] ?? null,
    cpusPerTask: values['cpus-per-task']!,
    time: values.time ?? null,
    sbatchArgs: values['sbatch-arg']!,
  };
  const record: SlurmSubmission = {
    version: 1,
    submitId,
    experiment: experiment.name,
    preset,
    only: csv(values.only) ?? null,
    seeds: seedList(values.seeds) ?? null,
    shards: taskShards(runs, tasks),
    submittedAt: new Date().toISOString(),
    user: whoAmI(),
    host: os.hostname(),
    checkout,
    git: { commit: null, dirty: null },
    argv: ['exp', 'slurm', ...argv],
    options: { partition: spec.partition, gpusPerTask: spec.gpusPerTask, cpusPerTask: spec.cpusPerTask, time: spec.time, sbatchArgs: spec.sbatchArgs },
    runsRoot,
    reportOut: values['report-out'] ? path.resolve(values['report-out']) : null,
    arrayJobId: null,
    followUpJobId: null,
    partition: null,
  };
  const local = localRunCommand(experiment.name, ['--preset', preset, ...flags, ...(values.out !== 'runs' ? ['--out', values.out!] : [])]);
  return { values, experiment, spec, record, note, poll, local };
}

export async function slurmCommand(argv: string[]): Promise<number> {
  const { values, experiment, spec, record, note, poll, local } = await plan(argv);
  if (note) process.stderr.write(`exp slurm: ${note}\n`);
  if (values['dry-run']) {
    process.stdout.write(`# ${spec.paths.arrayScript}\n${arrayScript(spec)}\n# ${spec.paths.followUpScript}\n${followUpScript(spec, '<array job id>')}\n`);
    process.stderr.write(`exp slurm: dry run: ${spec.runs} run(s) in ${spec.tasks} array task(s); nothing written or submitted\n`);
    return 0;
  }
  if (!onPath('sbatch')) throw new Error(noSbatchMessage(local));
  const git = gitState(spec.checkout);
  if (git.dirty) process.stderr.write(`${dirtyTreeWarning(spec.checkout, git.commit)}\n`);
  const submitted = submit(spec, { ...record, git });
  printHowToFollow(submitted);
  return values.wait ? waitForSubmission(experiment, submitted, poll) : 0;
}

/**
 * Writes the record folder and submits the array (held) and its follow-up job, then releases the array, so
 * no task starts unless both were accepted. A rejected submission removes what it wrote and reports
 * sbatch's message verbatim.
 */
function submit(spec: SlurmScriptSpec, record: SlurmSubmission): SlurmSubmission {
  const { paths } = spec;
  if (fs.existsSync(paths.dir)) throw new Error(`${paths.dir} already exists`);
  fs.mkdirSync(paths.logs, { recursive: true });
  let arrayJobId: string | null = null;
  try {
    writeFileAtomic(paths.arrayScript, arrayScript(spec));
    writeJsonAtomic(paths.record, record);
    arrayJobId = sbatchOrExplain(paths.arrayScript, 'the array job', true);
    writeFileAtomic(paths.followUpScript, followUpScript(spec, arrayJobId));
    const followUpJobId = sbatchOrExplain(paths.followUpScript, 'the follow-up job', false);
    const partition = assignedPartition(arrayJobId) ?? spec.partition;
    const done = { ...record, arrayJobId, followUpJobId, partition };
    writeJsonAtomic(paths.record, done);
    scontrolRelease(arrayJobId);
    return done;
  } catch (err) {
    if (arrayJobId) {
      try {
        scancel(arrayJobId);
      } catch (cancelErr) {
        process.stderr.write(`exp slurm: could not cancel the held array job ${arrayJobId}: ${(cancelErr as Error).message}\n`);
      }
    }
    fs.rmSync(paths.dir, { recursive: true, force: true });
    throw err;
  }
}

/** Relative to the working folder when inside it, else absolute. */
const shown = (p: string) => (p.startsWith(process.cwd() + path.sep) ? path.relative(process.cwd(), p) : p);

/** The partition Slurm put a job in (its default one when none was asked for); null if squeue cannot say. */
function assignedPartition(jobId: string): string | null {
  try {
    return squeueJob(jobId)[0]?.partition || null;
  } catch {
    return null;
  }
}

function sbatchOrExplain(script: string, what: string, hold: boolean): string {
  try {
    return sbatch(script, { hold });
  } catch (err) {
    if (!(err instanceof SlurmToolError)) throw err;
    throw new Error(`sbatch rejected ${what} (${shown(script)}); nothing was submitted. sbatch said:\n${err.output}`);
  }
}

function printHowToFollow(r: SlurmSubmission): void {
  const paths = slurmSubmissionPaths(r.runsRoot, r.experiment, r.submitId);
  const tasks = r.shards.length;
  process.stdout.write(
    [
      `exp slurm: submitted ${r.experiment} (preset ${r.preset}, ${r.shards.reduce((n, s) => n + s.runIds.length, 0)} run(s)) as Slurm array job ${r.arrayJobId} ` +
        `(${tasks} task(s), partition ${r.partition ?? 'default'}) and follow-up job ${r.followUpJobId} (merge + report, after the array)`,
      `  follow:   squeue -j ${r.arrayJobId},${r.followUpJobId}`,
      `  logs:     ${shown(paths.logs)}/task-<0..${tasks - 1}>.log, ${shown(paths.followUpLog)}`,
      `  runs:     ${shown(paths.tasks)}/<task>/ while running, merged into ${shown(r.runsRoot)}/ by the follow-up job`,
      `  report:   ${shown(r.reportOut ?? path.join(r.checkout, 'reports', r.experiment))}/index.html once the follow-up job is done`,
      `  cancel:   scancel ${r.arrayJobId} ${r.followUpJobId}`,
      `  record:   ${shown(paths.record)}`,
      '',
    ].join('\n'),
  );
}

/** The follow-up job's command: merge, report, finished.json; exits non-zero unless every run completed. */
export async function slurmFinishCommand(argv: string[]): Promise<number> {
  const { positionals } = parse('slurm-finish', argv, {});
  if (positionals.length !== 1) throw new UsageError(`usage: ${slurmFinishUsage}`);
  const record = readSlurmSubmission(path.join(path.resolve(positionals[0]), 'submission.json'));
  const experiment: Experiment = (await loadExperiment(record.experiment)).experiment;
  const finished = await finishSubmission(experiment, record);
  process.stderr.write(`exp slurm-finish: ${record.experiment} (${record.preset}): ${JSON.stringify(finished.counts)}${finished.error ? `; ${finished.error}` : ''}\n`);
  return finished.exitCode;
}
