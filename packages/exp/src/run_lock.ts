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
      let holder: { host?: string; pid?: number } = {};
      try {
        holder = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch {
        // A lock file caught mid-write: treat as held.
      }
      const stale = holder.host === os.hostname() && typeof holder.pid === 'number' && !alive(holder.pid);
      if (!stale) {
        throw new RunLockedError(`run ${path.basename(dir)} is locked by ${holder.host ?? '?'} pid ${holder.pid ?? '?'} (${file})`);
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new RunLockedError(`could not lock ${dir}`);
}

/** Who holds a run folder's lock, as a reader (`exp ui`) sees it. */
export interface RunLockInfo {
  host: string | null;
  pid: number | null;
  since: string | null;
  /** false only when the holder is a dead process on this host (acquireRunLock would take it over). */
  live: boolean;
}

/** The lock of a run folder, or null when it has none. Reads only. */
export function inspectRunLock(dir: string): RunLockInfo | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, 'lock'), 'utf8');
  } catch {
    return null;
  }
  let holder: { host?: unknown; pid?: unknown; since?: unknown };
  try {
    holder = JSON.parse(text);
  } catch {
    // Caught mid-write by its owner: held.
    return { host: null, pid: null, since: null, live: true };
  }
  const host = typeof holder.host === 'string' ? holder.host : null;
  const pid = typeof holder.pid === 'number' ? holder.pid : null;
  return { host, pid, since: typeof holder.since === 'string' ? holder.since : null, live: host !== os.hostname() || pid === null || alive(pid) };
}
