import { runKey, runRow, type RunRow } from './run_row.js';
import { runsSignature, scanRuns, type RunRecord } from './run_source.js';

export interface Snapshot {
  records: Map<string, RunRecord>;
  rows: RunRow[];
  version: number;
}

/**
 * The runs as last read, re-read only when the files' signature changes. Rows are ordered by experiment,
 * then start time (newest last), so a run that starts later appears at the end until the user sorts.
 */
export class RunsState {
  private signature = '';
  private perRun = new Map<string, string>();
  /** Version at which each run last changed. */
  private changedAt = new Map<string, number>();
  snapshot: Snapshot = { records: new Map(), rows: [], version: 0 };

  constructor(readonly roots: readonly string[]) {}

  /** Re-reads when something changed; returns true when it did. */
  refresh(): boolean {
    const sig = runsSignature(this.roots);
    if (sig === this.signature) return false;
    this.signature = sig;
    const records = scanRuns(this.roots);
    const rows = records.map(runRow);
    rows.sort((a, b) => a.experiment.localeCompare(b.experiment) || (a.startedAt ?? '').localeCompare(b.startedAt ?? '') || a.runId.localeCompare(b.runId));
    const changed: string[] = [];
    const perRun = new Map<string, string>();
    for (const r of records) {
      // The row plus the number of metric lines: what a page would show differently.
      const fp = JSON.stringify(rows.find((x) => x.key === runKey(r))) + r.metrics.length;
      perRun.set(runKey(r), fp);
      if (this.perRun.get(runKey(r)) !== fp) changed.push(runKey(r));
    }
    this.perRun = perRun;
    const version = this.snapshot.version + 1;
    for (const k of changed) this.changedAt.set(k, version);
    this.snapshot = { records: new Map(records.map((r) => [runKey(r), r])), rows, version };
    return true;
  }

  /** Runs that changed after `version` (several refreshes may lie between two live updates). */
  changedSince(version: number): string[] {
    return [...this.changedAt].filter(([, v]) => v > version).map(([k]) => k);
  }
}
