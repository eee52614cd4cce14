import { formatDuration } from '@unpool/exp';
import { slurmSubmissionPaths, type Experiment, type SlurmSubmission } from '@unpool/results';
import { followUpMarker, gridOf, gridOutcome } from './finish.js';
import { countBy, describeCounts, fractionDone, gridSlots, statusCounts } from './grid_status.js';
import { hasEnded, SlurmToolError, squeueJob, type QueuedJob } from './slurm_tools.js';

const sleep = (seconds: number) => new Promise((r) => setTimeout(r, seconds * 1000));

/** `2 RUNNING, 1 PENDING` for the array's tasks. */
const taskStates = (tasks: QueuedJob[]): string => describeCounts(countBy(tasks, (t) => t.state)) || 'gone';

/** Remaining time from the progress made since the wait began; null until there is some. */
export function etaSeconds(elapsed: number, startFraction: number, fraction: number): number | null {
  const gained = fraction - startFraction;
  return gained > 0 && elapsed > 0 ? ((1 - fraction) * elapsed) / gained : null;
}

/**
 * `exp slurm --wait`: polls squeue (no accounting database needed) until the follow-up job has ended or
 * slurmctld has forgotten it, printing the tasks' states and the grid's progress from its run folders;
 * then reads the follow-up job's marker and the merged runs. Resolves to the grid's exit code.
 */
export async function waitForSubmission(experiment: Experiment, record: SlurmSubmission, pollSeconds: number): Promise<number> {
  const paths = slurmSubmissionPaths(record.runsRoot, record.experiment, record.submitId);
  const roots = [record.runsRoot, ...record.shards.map((s) => paths.taskRoot(s.task))];
  const grid = gridOf(record);
  const started = Date.now();
  const startFraction = fractionDone(gridSlots(experiment, grid, roots));
  let failures = 0;
  for (;;) {
    let followUp: QueuedJob[];
    let tasks: QueuedJob[];
    try {
      followUp = squeueJob(record.followUpJobId!);
      tasks = squeueJob(record.arrayJobId!);
      failures = 0;
    } catch (err) {
      // slurmctld restarting or briefly unreachable: keep waiting, but not forever.
      if (!(err instanceof SlurmToolError) || ++failures >= 10) throw err;
      process.stderr.write(`exp slurm: squeue failed (${failures}/10), retrying: ${err.output}\n`);
      await sleep(pollSeconds);
      continue;
    }
    if (followUp.every((j) => hasEnded(j.state))) break;
    const slots = gridSlots(experiment, grid, roots);
    const fraction = fractionDone(slots);
    const elapsed = (Date.now() - started) / 1000;
    const eta = etaSeconds(elapsed, startFraction, fraction);
    process.stderr.write(
      `exp slurm: array ${record.arrayJobId}: ${taskStates(tasks)}; follow-up ${record.followUpJobId}: ${followUp[0]?.state}; ` +
        `runs: ${describeCounts(statusCounts(slots))}; ${(100 * fraction).toFixed(0)}% of steps; ${formatDuration(elapsed)} elapsed` +
        `${eta === null ? '' : `, ETA ${formatDuration(eta)}`}\n`,
    );
    await sleep(pollSeconds);
  }
  const marker = followUpMarker(paths.finished);
  const outcome = gridOutcome(experiment, record, [record.runsRoot]);
  process.stdout.write(`\n${outcome.table}\n`);
  const problems = [
    ...(marker.problem ? [`${marker.problem}; see ${paths.followUpLog}`] : []),
    ...(marker.finished?.error ? [`the follow-up job failed: ${marker.finished.error}`] : []),
    ...(outcome.notCompleted.length ? [`not completed: ${outcome.notCompleted.join(', ')} (task logs: ${paths.logs})`] : []),
  ];
  for (const p of problems) process.stderr.write(`exp slurm: ${p}\n`);
  process.stderr.write(`exp slurm: ${record.experiment} (${record.preset}): ${describeCounts(outcome.counts)} in ${record.runsRoot}\n`);
  return problems.length ? 1 : 0;
}
