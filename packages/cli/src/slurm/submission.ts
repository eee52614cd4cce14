import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import { shardRuns, type ResolvedRun, type SlurmSubmission } from '@unpool/results';

/** Sortable and unique enough for one user's submissions: 20261130-070405-3fa2 (UTC). */
export function newSubmitId(now: Date, suffix = randomBytes(2).toString('hex')): string {
  const t = now.toISOString();
  return `${t.slice(0, 10).replace(/-/g, '')}-${t.slice(11, 19).replace(/:/g, '')}-${suffix}`;
}

/** Array task i gets shard i/tasks: the same arithmetic `exp run --shard i/n` applies. */
export function taskShards(runs: readonly ResolvedRun[], tasks: number): SlurmSubmission['shards'] {
  return Array.from({ length: tasks }, (_, task) => ({ task, runIds: shardRuns([...runs], task, tasks).map((r) => r.runId) }));
}

/** More tasks than runs would leave tasks with nothing to do: one task per run at most (and one by default). */
export function taskCount(requested: number | undefined, runs: number): { tasks: number; note: string | null } {
  if (requested === undefined) return { tasks: Math.max(1, runs), note: null };
  if (requested > runs) return { tasks: runs, note: `--tasks ${requested}: the grid has ${runs} run(s), so ${runs} task(s) are submitted` };
  return { tasks: requested, note: null };
}

export function whoAmI(): string {
  try {
    return os.userInfo().username;
  } catch {
    // A container user without a passwd entry.
    return process.env.USER ?? `uid ${process.getuid?.() ?? '?'}`;
  }
}

/** The exp run command that trains the same grid on this machine (suggested where there is no Slurm). */
export function localRunCommand(experiment: string, runFlags: string[]): string {
  return ['pnpm exp run', experiment, ...runFlags].join(' ');
}

export function noSbatchMessage(localCommand: string): string {
  return (
    'exp slurm: `sbatch` is not on PATH, so there is no Slurm cluster to submit to from here (run this on the ' +
    `cluster's login node, or put Slurm's client tools on PATH).\nTo run the same grid on this machine instead: ${localCommand}`
  );
}

export function dirtyTreeWarning(checkout: string, commit: string | null): string {
  return (
    `exp slurm: warning: ${checkout} has uncommitted changes: the tasks will run whatever is checked out there when ` +
    `each of them starts${commit ? ` (commit ${commit.slice(0, 10)} plus those changes)` : ''}, and the record can only name the commit.`
  );
}
