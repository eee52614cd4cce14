import * as path from 'node:path';
import { listSlurmSubmissions, type LoadedRun } from '@unpool/results';

/**
 * How a run was scheduled, from the `exp slurm` records next to its folder (runs/<experiment>/slurm/):
 * `Slurm array 1234 task 1, partition main` for the latest submission that gave this run to an array task
 * before the run's folder was created; null when it was not submitted that way (or no record is readable).
 */
export function slurmNote(run: LoadedRun | null): string | null {
  if (!run) return null;
  const { records } = listSlurmSubmissions(path.dirname(run.dir));
  const created = run.config?.createdAt ?? run.result?.startedAt ?? '';
  for (const r of [...records].reverse()) {
    if (created < r.submittedAt) continue;
    const shard = r.shards.find((s) => s.runIds.includes(run.runId));
    if (shard && r.arrayJobId) return `Slurm array ${r.arrayJobId} task ${shard.task}${r.partition ? `, partition ${r.partition}` : ''}`;
  }
  return null;
}

/** `wasm (1 thread) + onnxruntime; ran as Slurm array 1234 task 1, partition main` */
export function withSlurmNote(backend: string | null, run: LoadedRun | null): string | null {
  const note = slurmNote(run);
  return note ? `${backend ?? '?'}; ran as ${note}` : backend;
}
