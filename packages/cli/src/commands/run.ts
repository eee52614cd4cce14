import * as fs from 'node:fs';
import * as path from 'node:path';
import { backendInfo, selectBackend, type BackendName } from '@unpool/runtime';
import {
  parseShard,
  preflightData,
  readResult,
  resolveEngine,
  resolveRuns,
  runExperiment,
  runPaths,
  summaryTable,
  formatDuration,
  type RunResult,
} from '@unpool/exp';
import * as os from 'node:os';
import { csv, parse, seedList, UsageError } from '../args.js';
import { backendFlag, engineFlag } from '../engine_flags.js';
import { loadExperiment } from '../load_experiment.js';
import { afterRunHooks, finishExperiment, postRunFailures } from '../post_run.js';
import { runParallelJobs } from '../parallel_jobs.js';
import { shardFromSlurmEnv } from '../slurm/shard_env.js';
import { registerOptionalEngines } from '../optional_modules.js';

export const runUsage = `exp run <experiment> [--preset p] [--backend auto|wasm|cpu|webgpu|tensorflow]
        [--engine auto|tfjs|onnxruntime] [--ep cpu|webgpu|cuda] [--threads n] [--out runs/] [--only v1,v2] [--seeds 0,1]
        [--shard i/n] [--jobs n|auto] [--resume] [--no-onnx] [--no-report] [--report-out reports/<experiment>]`;

export async function runCommand(argv: string[]): Promise<number> {
  // The runner knows engines only by registration; offer ONNX Runtime where this build has it.
  await registerOptionalEngines();
  const { values, positionals } = parse('run', argv, {
    preset: { type: 'string' },
    backend: { type: 'string', default: 'auto' },
    out: { type: 'string' },
    only: { type: 'string' },
    seeds: { type: 'string' },
    shard: { type: 'string' },
    resume: { type: 'boolean', default: true },
    'no-onnx': { type: 'boolean', default: false },
    'no-report': { type: 'boolean', default: false },
    'report-out': { type: 'string' },
    jobs: { type: 'string', default: 'auto' },
    engine: { type: 'string', default: 'auto' },
    threads: { type: 'string' },
    ep: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError(`usage: ${runUsage}`);
  const backendName = backendFlag(values.backend!);
  const engine = engineFlag(values.engine!);
  const threadsFlag = values.threads === undefined ? undefined : Number(values.threads);
  if (threadsFlag !== undefined && !(Number.isInteger(threadsFlag) && threadsFlag >= 1)) {
    throw new UsageError(`--threads: expected a positive integer, got '${values.threads}'`);
  }
  const { experiment } = await loadExperiment(positionals[0]);
  const preset = values.preset ?? experiment.defaultPreset;
  const grid = { preset, only: csv(values.only), seeds: seedList(values.seeds) };
  // Validate everything the user typed before the (slow) backend start-up and any training.
  const all = resolveRuns(experiment, grid);
  // In a Slurm array task without --shard, the task's place in the array picks the shard.
  const shard = values.shard ? parseShard(values.shard) : shardFromSlurmEnv(process.env);
  const runsRoot = path.resolve(values.out ?? DEFAULT_RUNS);
  const report = reportTarget(experiment.name, values.out, values['report-out'], values['no-report']);
  const started = performance.now();
  const jobs = jobCount(values.jobs!, backendName, all.length, shard !== undefined);
  if (jobs > 1) {
    // Split the grid over child processes (shards of the same runs folder), then summarise here.
    process.stderr.write(`exp run ${experiment.name}: preset '${preset}', ${all.length} run(s) in ${jobs} parallel jobs, runs in ${runsRoot}\n`);
    // Here, not only in the jobs: a broken file stops the command once instead of once per job.
    preflightData(all);
    // The cores are shared out: each job's ONNX Runtime gets its slice of them, not all.
    const threads = threadsFlag ?? Math.max(1, Math.floor(os.availableParallelism() / jobs));
    // Every job walks the whole grid: the run locks hand each run to the first job that reaches it, so a
    // job that finishes early takes the next free run instead of idling (static shards left one core idle
    // for a quarter of the cpu preset, the Bayesian runs being the long ones).
    const childArgs = () => [
      'run',
      ...stripFlags(argv, ['--jobs', '--shard', '--report-out', '--threads'], ['--no-report']),
      '--no-report',
      '--jobs',
      '1',
      '--threads',
      String(threads),
    ];
    // The jobs run the same grid, whose data was just checked: they skip the check (see DATA_CHECKED_ENV).
    const code = await runParallelJobs(jobs, childArgs, { ...process.env, [DATA_CHECKED_ENV]: '1' });
    const results = all.map((r) => readIfPresent(runsRoot, r.config.experiment, r.runId)).filter((r): r is RunResult => r !== null);
    process.stdout.write(`\n${summaryTable(experiment.variants.filter((v) => all.some((r) => r.config.variant.name === v.name)), experiment.data.eval.map((e) => e.name), results)}\n`);
    process.stderr.write(`exp run ${experiment.name}: ${results.length}/${all.length} run(s) with results in ${formatDuration((performance.now() - started) / 1000)}\n`);
    await finishReport(experiment, preset, runsRoot, report);
    return code;
  }
  const active = await selectBackend(backendName);
  const engineName = resolveEngine(engine, active);
  if (values.ep !== undefined && engineName !== 'onnxruntime') {
    throw new UsageError(`--ep ${values.ep}: execution providers belong to the onnxruntime engine, not '${engineName}' (add --engine onnxruntime)`);
  }
  const threadNote = engineName === 'onnxruntime' ? ` (EP ${values.ep ?? (engine === 'auto' ? 'webgpu on a GPU, else cpu' : 'cpu')}, ${threadsFlag ?? os.availableParallelism()} thread(s))` : '';
  process.stderr.write(
    `exp run ${experiment.name}: preset '${preset}', ${all.length} run(s)${shard ? `, shard ${shard.index}/${shard.count}${values.shard ? '' : ' (from SLURM_ARRAY_TASK_ID)'}` : ''}, backend ${active}, engine ${engineName}${threadNote}, runs in ${runsRoot}\n`,
  );
  const { runs, outcomes } = await runExperiment(experiment, {
    ...grid,
    shard,
    runsRoot,
    backend: { ...backendInfo(), name: active },
    engine,
    threads: threadsFlag,
    ep: values.ep,
    // A job has its cores to itself: all of them here, or its share of them as one of --jobs n.
    spinWait: true,
    afterRun: afterRunHooks({ onnx: !values['no-onnx'], runsRoot }),
    afterCheckpoint: hangForKillTest(runsRoot),
    dataChecked: process.env[DATA_CHECKED_ENV] === '1',
  });
  const results = outcomes.map((o) => o.result).filter((r): r is RunResult => r !== null);
  process.stdout.write(`\n${summaryTable(experiment.variants.filter((v) => runs.some((r) => r.config.variant.name === v.name)), experiment.data.eval.map((e) => e.name), results)}\n`);
  const bad = outcomes.filter((o) => o.status === 'failed' || o.status === 'diverged');
  for (const o of bad) process.stderr.write(`run ${o.runId} ${o.status}: ${o.error}\n`);
  process.stderr.write(`exp run ${experiment.name}: ${outcomes.length} run(s) in ${formatDuration((performance.now() - started) / 1000)}\n`);
  await finishReport(experiment, preset, runsRoot, report);
  for (const line of postRunFailures) process.stderr.write(`${line}\n`);
  return bad.length || postRunFailures.length ? 1 : 0;
}

const DEFAULT_RUNS = 'runs';

/**
 * Set by `exp run --jobs n` in its jobs' environment: the parent already ran the data preflight on the grid
 * they run, so each job skips it instead of re-reading every file of the data sets once more.
 */
const DATA_CHECKED_ENV = 'UNPOOL_EXP_DATA_CHECKED';

type ReportTarget = { dir: string | undefined } | { skip: string };

/**
 * Where `exp run` renders the report: the committed reports/<experiment>/ only for runs in the default
 * runs folder (a smoke run to /tmp must not replace the committed report), else only where --report-out
 * says.
 */
function reportTarget(experiment: string, out: string | undefined, reportOut: string | undefined, noReport: boolean | undefined): ReportTarget {
  if (noReport) return { skip: '' };
  if (reportOut !== undefined) return { dir: path.resolve(reportOut) };
  if (out === undefined || path.resolve(out) === path.resolve(DEFAULT_RUNS)) return { dir: undefined };
  return { skip: `report not written: runs went to --out ${out}, not the default runs/ (render one with exp report ${experiment} --runs ${out} --out <dir>)` };
}

/** Renders the report (or says why not) as the command's last line. */
async function finishReport(experiment: Parameters<typeof finishExperiment>[0], preset: string, runsRoot: string, target: ReportTarget) {
  if ('skip' in target) {
    if (target.skip) process.stderr.write(`exp run ${experiment.name}: ${target.skip}\n`);
  } else await finishExperiment(experiment, preset, runsRoot, target.dir);
}

/**
 * Test hook for the kill -9 resume test: with UNPOOL_TEST_HANG_AFTER_CHECKPOINT=<runId prefix>:<step> the
 * process announces that checkpoint (a marker file in the runs folder) and then hangs until it is killed.
 * Once per runs folder: a requeued Slurm task keeps the environment it was submitted with, and must resume.
 */
function hangForKillTest(runsRoot: string) {
  const m = /^(.+):(\d+)$/.exec(process.env.UNPOOL_TEST_HANG_AFTER_CHECKPOINT ?? '');
  if (!m) return undefined;
  return async (step: number, runId: string) => {
    if (step !== Number(m[2]) || !runId.startsWith(m[1])) return;
    if (fs.readdirSync(runsRoot).some((f) => f.startsWith('.checkpointed-'))) return;
    fs.writeFileSync(path.join(runsRoot, `.checkpointed-${process.pid}`), String(step));
    // A pending timer keeps the event loop (and so the process) alive until the test kills it.
    await new Promise(() => setInterval(() => {}, 1 << 30));
  };
}

/**
 * `--jobs auto`: one job per core for the CPU backends (wasm, cpu, auto), capped by the number of runs;
 * GPU backends and shards run alone. Independent runs side by side beat one run on every core: the
 * per-step glue (batch synthesis, optimizer, evaluation bookkeeping) is single-threaded.
 */
export function jobCount(value: string, backend: BackendName, runs: number, sharded: boolean): number {
  if (value === 'auto') {
    if (sharded || !['wasm', 'cpu', 'auto'].includes(backend)) return 1;
    return Math.max(1, Math.min(os.cpus().length, runs));
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--jobs: expected a positive integer or 'auto', got '${value}'`);
  if (n > 1 && sharded) throw new UsageError('--jobs > 1 cannot be combined with --shard (each job is itself a shard)');
  return Math.min(n, Math.max(1, runs));
}

/** argv without the given flags (and their values) and boolean switches. */
function stripFlags(argv: string[], withValue: string[], switches: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag] = argv[i].split('=');
    if (withValue.includes(flag)) {
      if (!argv[i].includes('=')) i++;
      continue;
    }
    if (switches.includes(argv[i])) continue;
    out.push(argv[i]);
  }
  return out;
}

function readIfPresent(runsRoot: string, experiment: string, runId: string): RunResult | null {
  const file = runPaths(runsRoot, experiment, runId).result;
  if (!fs.existsSync(file)) return null;
  try {
    return readResult(file);
  } catch {
    return null;
  }
}
