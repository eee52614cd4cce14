import { runKey, runRow, type RunRow } from './run_row.js';
import { readRun, runDirs, runSignature, type RunRecord } from './run_source.js';

export interface Snapshot {
  records: Map<string, RunRecord>;
  rows: RunRow[];
  version: number;
}

/** One run as last read: the signature of its files then, what was read, and what a page would show of it. */
interface CachedRun {
  signature: string;
  record: RunRecord;
  row: RunRow;
  /** The row plus the number of metric lines: what a page would show differently. */
  fingerprint: string;
}

/**
 * The runs as last read; each poll checks every run folder's signature and re-reads only the folders whose
 * files changed. Rows are ordered by experiment, then start time (newest last), so a run that starts later
 * appears at the end until the user sorts.
 */
export class RunsState {
  private runs = new Map<string, CachedRun>();
  /** Version at which each run last changed. */
  private changedAt = new Map<string, number>();
  snapshot: Snapshot = { records: new Map(), rows: [], version: 0 };

  constructor(readonly roots: readonly string[]) {}

  /** Re-reads when something changed; returns true when it did. */
  refresh(): boolean {
    const runs = new Map<string, CachedRun>();
    const changed: string[] = [];
    let reread = false;
    for (const d of runDirs(this.roots)) {
      const key = runKey(d);
      const signature = runSignature(d.dir);
      const prev = this.runs.get(key);
      if (prev && prev.signature === signature) {
        runs.set(key, prev);
        continue;
      }
      reread = true;
      const record = readRun(d);
      const row = runRow(record);
      const fingerprint = JSON.stringify(row) + record.metrics.length;
      runs.set(key, { signature, record, row, fingerprint });
      if (prev?.fingerprint !== fingerprint) changed.push(key);
    }
    // Nothing re-read and no folder gone: the snapshot stands.
    if (!reread && runs.size === this.runs.size) return false;
    this.runs = runs;
    const rows = [...runs.values()].map((r) => r.row);
    rows.sort((a, b) => a.experiment.localeCompare(b.experiment) || (a.startedAt ?? '').localeCompare(b.startedAt ?? '') || a.runId.localeCompare(b.runId));
    const version = this.snapshot.version + 1;
    for (const k of changed) this.changedAt.set(k, version);
    this.snapshot = { records: new Map([...runs].map(([k, r]) => [k, r.record])), rows, version };
    return true;
  }

  /** Runs that changed after `version` (several refreshes may lie between two live updates). */
  changedSince(version: number): string[] {
    return [...this.changedAt].filter(([, v]) => v > version).map(([k]) => k);
  }
}
