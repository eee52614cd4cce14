import { storedConfigHash, type LoadedRun, type ResolvedRun, type Variant } from '@unpool/results';

/**
 * What the report knows about one expected run of the grid. `missing` means no folder with its runId in
 * any runs root; `incomplete` means a folder without a readable result.json (killed before its first
 * write, or a file that fails the schema); `interrupted` a run recorded as running whose process is gone.
 */
export type SlotStatus = 'completed' | 'running' | 'interrupted' | 'failed' | 'diverged' | 'incomplete' | 'missing';

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

/**
 * The grid slot a folder belongs to: its config hash recomputed from config.json (so runs recorded while
 * display labels were hashed still match; see storedConfigHash), else its runId.
 */
function slotKey(run: LoadedRun, expectedIds: ReadonlyMap<string, string>): string {
  if (run.config) {
    const byHash = expectedIds.get(`${run.config.variant}/${run.config.seed}/${storedConfigHash(run.config)}`);
    if (byHash) return byHash;
  }
  return run.runId;
}

/** Pairs the expected runs with the folders found; `found` is in runs-root search order. */
export function matchRuns(expected: readonly ResolvedRun[], found: readonly FoundRun[]): MatchedRuns {
  const idByHash = new Map(expected.map((e) => [`${e.config.variant.name}/${e.config.seed}/${e.configHash}`, e.runId]));
  const byId = new Map<string, FoundRun[]>();
  for (const f of found) {
    const key = slotKey(f.run, idByHash);
    const list = byId.get(key) ?? [];
    list.push(f);
    byId.set(key, list);
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
    const hash = run.config ? storedConfigHash(run.config) : run.result?.configHash;
    if (hash !== undefined && hash !== e.configHash) problems.push(`config hash ${hash} differs from the expected ${e.configHash}`);
    const status: SlotStatus = !run.result ? 'incomplete' : run.interrupted ? 'interrupted' : run.result.status;
    return { ...base, status, run, root: first.root, problems };
  });
  const strays = found.filter((f) => !expectedIds.has(slotKey(f.run, idByHash)));
  return { slots, strays, shadowed };
}

/** Completed slots whose numbers the tables use. */
export function completedSlots(slots: readonly RunSlot[]): RunSlot[] {
  return slots.filter((s) => s.status === 'completed' && s.run?.result);
}
