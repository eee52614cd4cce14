import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A Slurm command failed; `output` is its stderr (or stdout), verbatim. */
export class SlurmToolError extends Error {
  constructor(
    readonly tool: string,
    readonly output: string,
  ) {
    super(`${tool} failed:\n${output}`);
  }
}

/** The first executable `name` on PATH, or null. */
export function onPath(name: string, envPath = process.env.PATH ?? ''): string | null {
  for (const dir of envPath.split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return null;
}

function tool(name: string, args: string[]): string {
  const r = spawnSync(name, args, { encoding: 'utf8' });
  if (r.error) throw new SlurmToolError(name, r.error.message);
  if (r.status !== 0) throw new SlurmToolError(name, (r.stderr || r.stdout || `exit code ${r.status}`).trimEnd());
  return r.stdout;
}

/** The job id in `sbatch --parsable` output (`<id>` or `<id>;<cluster>`). */
export function parseSbatchJobId(stdout: string): string {
  const m = /^(\d+)(;\S+)?\s*$/.exec(stdout.trim());
  if (!m) throw new Error(`could not read a job id from sbatch's output: ${JSON.stringify(stdout)}`);
  return m[1];
}

/** Submits a batch script (its #SBATCH lines say everything); `hold` keeps it pending until released. */
export function sbatch(script: string, options: { hold?: boolean } = {}): string {
  return parseSbatchJobId(tool('sbatch', ['--parsable', ...(options.hold ? ['--hold'] : []), script]));
}

export const scontrolRelease = (jobId: string) => void tool('scontrol', ['release', jobId]);
export const scancel = (...jobIds: string[]) => void tool('scancel', jobIds);

/** A job (or array task) as squeue lists it. */
export interface QueuedJob {
  id: string;
  state: string;
  partition: string;
}

export function parseSqueue(stdout: string): QueuedJob[] {
  return stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [id, state, partition] = l.split(/\s+/);
      return { id, state, partition: partition ?? '' };
    });
}

/** States after which a job does not run again unless someone requeues it. */
const ENDED = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'NODE_FAIL', 'OUT_OF_MEMORY', 'BOOT_FAIL', 'DEADLINE', 'PREEMPTED', 'SPECIAL_EXIT', 'REVOKED']);
export const hasEnded = (state: string) => ENDED.has(state.replace(/\+$/, ''));

/**
 * The job's (or array's tasks') entries in squeue, all states; [] once slurmctld has forgotten it (after
 * MinJobAge). Works without the accounting database. Other squeue failures (controller unreachable) throw.
 */
export function squeueJob(jobId: string): QueuedJob[] {
  try {
    return parseSqueue(tool('squeue', ['--noheader', '--states=all', '--jobs', jobId, '--format=%i %T %P']));
  } catch (err) {
    if (err instanceof SlurmToolError && /Invalid job id specified/i.test(err.output)) return [];
    throw err;
  }
}
