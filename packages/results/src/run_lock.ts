import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export class RunLockedError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A killed process stays signalable as a zombie until its new parent reaps it; it holds nothing.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

export interface LockHolder {
  host?: string;
  pid?: number;
  /** When the holder took the lock (ISO time). */
  since?: string;
  /** The Slurm job (and its restart count) that took the lock, when it ran in one. */
  slurm?: { job?: string; restart?: number };
  /** False only when the holder is a process of this host that no longer runs (a killed run). */
  live: boolean;
}

/** Who holds a run folder's lock, or null when nobody does. */
export function lockHolder(dir: string): LockHolder | null {
  const file = path.join(dir, 'lock');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  let holder: Omit<LockHolder, 'live'> = {};
  try {
    holder = JSON.parse(text);
  } catch {
    // A lock file caught mid-write: treat as held.
  }
  const dead = holder.host === os.hostname() && typeof holder.pid === 'number' && !alive(holder.pid);
  return { host: holder.host, pid: holder.pid, since: holder.since, slurm: holder.slurm, live: !dead };
}

/** The Slurm job this process runs in and which incarnation of it (a requeued job starts again as restart n+1). */
function slurmIncarnation(env: NodeJS.ProcessEnv): { job: string; restart: number } | undefined {
  return env.SLURM_JOB_ID ? { job: env.SLURM_JOB_ID, restart: Number(env.SLURM_RESTART_COUNT ?? 0) || 0 } : undefined;
}

/**
 * An exclusive lock on a run folder (O_EXCL lock file holding host and pid), so two `exp run` processes on
 * the same runs folder never train the same run. A lock left by a killed process on this host is taken
 * over; one held by a live process, or by another host, is respected, except one left by an earlier
 * incarnation of this very Slurm job: Slurm runs a requeued job again only after the old one has ended,
 * possibly on another node.
 */
export function acquireRunLock(dir: string, env: NodeJS.ProcessEnv = process.env): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'lock');
  const slurm = slurmIncarnation(env);
  const me = JSON.stringify({ host: os.hostname(), pid: process.pid, since: new Date().toISOString(), ...(slurm ? { slurm } : {}) });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, me, { flag: 'wx' });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        fs.rmSync(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = lockHolder(dir);
      const earlierIncarnation = !!slurm && holder?.slurm?.job === slurm.job && (holder.slurm.restart ?? 0) < slurm.restart;
      if (holder?.live && !earlierIncarnation) {
        throw new RunLockedError(`run ${path.basename(dir)} is locked by ${holder.host ?? '?'} pid ${holder.pid ?? '?'} (${file})`);
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new RunLockedError(`could not lock ${dir}`);
}
