import * as fs from 'node:fs';
import {
  readSlurmFinished,
  summaryTable,
  writeJsonAtomic,
  type Experiment,
  type RunResult,
  type SlurmFinished,
  type SlurmSubmission,
  slurmSubmissionPaths,
} from '@unpool/exp';
import { mergeCommand } from '../commands/merge.js';
import { writeReport } from '../commands/report.js';
import { gridSlots, statusCounts } from './grid_status.js';

export const gridOf = (record: SlurmSubmission) => ({ preset: record.preset, only: record.only ?? undefined, seeds: record.seeds ?? undefined });

/** The grid's status in the merged runs folder: exit code 0 only when every run completed. */
export function gridOutcome(experiment: Experiment, record: SlurmSubmission, roots: readonly string[]) {
  const slots = gridSlots(experiment, gridOf(record), roots);
  const notCompleted = slots.filter((s) => s.status !== 'completed').map((s) => `${s.expected.runId} (${s.status})`);
  const results = slots.map((s) => s.run?.result).filter((r): r is RunResult => !!r && r.status === 'completed');
  const table = summaryTable(
    experiment.variants.filter((v) => slots.some((s) => s.variant.name === v.name)),
    experiment.data.eval.map((e) => e.name),
    results,
  );
  return { counts: statusCounts(slots), notCompleted, table, exitCode: notCompleted.length ? 1 : 0 };
}

/**
 * What the follow-up job does once the array has ended: merge every task's runs into the runs root,
 * render the report, and write finished.json (the marker `exp slurm --wait` reads) with the grid's status.
 */
export async function finishSubmission(experiment: Experiment, record: SlurmSubmission): Promise<SlurmFinished> {
  const paths = slurmSubmissionPaths(record.runsRoot, record.experiment, record.submitId);
  let error: string | null = null;
  try {
    const taskRoots = record.shards.map((s) => paths.taskRoot(s.task)).filter((dir) => fs.existsSync(dir));
    if (taskRoots.length) await mergeCommand([...taskRoots, '--out', record.runsRoot]);
    await writeReport(experiment, record.preset, [record.runsRoot], record.reportOut ?? undefined);
  } catch (err) {
    error = (err as Error).message;
    process.stderr.write(`exp slurm-finish: ${error}\n`);
  }
  const outcome = gridOutcome(experiment, record, [record.runsRoot]);
  process.stdout.write(`\n${outcome.table}\n`);
  const finished: SlurmFinished = {
    finishedAt: new Date().toISOString(),
    exitCode: error ? 1 : outcome.exitCode,
    counts: outcome.counts,
    notCompleted: outcome.notCompleted,
    error,
  };
  writeJsonAtomic(paths.finished, finished);
  return finished;
}

/** The follow-up job's marker, or why there is none. */
export function followUpMarker(file: string): { finished: SlurmFinished | null; problem: string | null } {
  if (!fs.existsSync(file)) return { finished: null, problem: `the follow-up job left no ${file}` };
  try {
    return { finished: readSlurmFinished(file), problem: null };
  } catch (err) {
    return { finished: null, problem: (err as Error).message };
  }
}

