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
  let holder: { host?: string; pid?: number; since?: string } = {};
  try {
    holder = JSON.parse(text);
  } catch {
    // A lock file caught mid-write: treat as held.
  }
  const dead = holder.host === os.hostname() && typeof holder.pid === 'number' && !alive(holder.pid);
  return { host: holder.host, pid: holder.pid, since: holder.since, live: !dead };
}

/**
 * An exclusive lock on a run folder (O_EXCL lock file holding host and pid), so two `exp run` processes on
 * the same runs folder never train the same run. A lock left by a killed process on this host is taken
 * over; one held by a live process, or by another host, is respected.
 */
export function acquireRunLock(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'lock');
  const me = JSON.stringify({ host: os.hostname(), pid: process.pid, since: new Date().toISOString() });
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
      if (holder?.live) {
        throw new RunLockedError(`run ${path.basename(dir)} is locked by ${holder.host ?? '?'} pid ${holder.pid ?? '?'} (${file})`);
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new RunLockedError(`could not lock ${dir}`);
}
