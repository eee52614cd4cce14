import type { LoadedRun, ResolvedRun, Variant } from '@unpool/exp';

/**
 * What the report knows about one expected run of the grid. `missing` means no folder with its runId in
 * any runs root; `incomplete` means a folder without a readable result.json (killed before its first
 * write, or a file that fails the schema).
 */
export type SlotStatus = 'completed' | 'running' | 'failed' | 'diverged' | 'incomplete' | 'missing';

export interface RunSlot {
  expected: ResolvedRun;
  variant: Variant;
  seed: number;
  status: SlotStatus;
  /** The folder found for it (first runs root that has it), or null. */
  run: LoadedRun | null;
  /** Runs root the folder was found in. */
  root: string | null;
  /** Problems reading the folder plus mismatches with the expected run. */
  problems: string[];
}

/** A folder found under a runs root that is not an expected run of this grid (stale hash, other preset). */
export interface StrayRun {
  run: LoadedRun;
  root: string;
}

export interface FoundRun {
  run: LoadedRun;
  root: string;
}

export interface MatchedRuns {
  slots: RunSlot[];
  strays: StrayRun[];
  /** Later copies of an expected run in other roots, which the first copy shadows. */
  shadowed: StrayRun[];
}

/** Pairs the expected runs with the folders found; `found` is in runs-root search order. */
export function matchRuns(expected: readonly ResolvedRun[], found: readonly FoundRun[]): MatchedRuns {
  const byId = new Map<string, FoundRun[]>();
  for (const f of found) {
    const list = byId.get(f.run.runId) ?? [];
    list.push(f);
    byId.set(f.run.runId, list);
  }
  const expectedIds = new Set(expected.map((e) => e.runId));
  const shadowed: StrayRun[] = [];
  const slots = expected.map((e): RunSlot => {
    const copies = byId.get(e.runId) ?? [];
    shadowed.push(...copies.slice(1));
    const first = copies[0];
    const base = { expected: e, variant: e.config.variant, seed: e.config.seed };
    if (!first) return { ...base, status: 'missing', run: null, root: null, problems: [] };
    const run = first.run;
    const problems = [...run.problems];
    const hashes = [run.config?.configHash, run.result?.configHash].filter((h): h is string => typeof h === 'string');
    for (const h of new Set(hashes)) {
      if (h !== e.configHash) problems.push(`config hash ${h} differs from the expected ${e.configHash}`);
    }
    const status: SlotStatus = run.result ? run.result.status : 'incomplete';
    return { ...base, status, run, root: first.root, problems };
  });
  const strays = found.filter((f) => !expectedIds.has(f.run.runId));
  return { slots, strays, shadowed };
}

/** Completed slots whose numbers the tables use. */
export function completedSlots(slots: readonly RunSlot[]): RunSlot[] {
  return slots.filter((s) => s.status === 'completed' && s.run?.result);
}
