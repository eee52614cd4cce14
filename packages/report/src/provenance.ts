import type { RunSlot, SlotStatus, StrayRun } from './run_slots.js';
import { withSlurmNote } from './slurm_note.js';

export interface ProvenanceRow {
  variant: string;
  seed: number | null;
  runId: string;
  status: SlotStatus | 'not in grid' | 'shadowed';
  configHash: string;
  commit: string | null;
  dirty: boolean | null;
  backend: string | null;
  preset: string | null;
  createdAt: string | null;
  finishedAt: string | null;
  step: number | null;
  steps: number | null;
  /** The run's own wall time (result.json `wallSeconds`). */
  wallSeconds: number | null;
  root: string | null;
  problems: string[];
}

/** Name of the compute backend a run recorded (`backendInfo()` writes `{name, threads, ...}`). */
export function backendName(backend: Record<string, unknown> | undefined | null): string | null {
  if (!backend) return null;
  const name = backend.name ?? backend.backend;
  if (typeof name !== 'string') return null;
  const extras: string[] = [];
  if (typeof backend.threads === 'number') extras.push(`${backend.threads} thread${backend.threads === 1 ? '' : 's'}`);
  if (backend.simd === true) extras.push('SIMD');
  return extras.length ? `${name} (${extras.join(', ')})` : name;
}

/** `wasm (1 thread) + onnxruntime (2 threads)` when an engine other than tfjs computed the run. */
function withEngine(backend: string | null, engine: Record<string, unknown> | undefined): string | null {
  if (!backend || !engine || typeof engine.name !== 'string' || engine.name === 'tfjs') return backend;
  const threads = typeof engine.threads === 'number' ? ` (${engine.threads} thread${engine.threads === 1 ? '' : 's'})` : '';
  return `${backend} + ${engine.name}${threads}`;
}

function fromRun(slot: Pick<RunSlot, 'run' | 'root'>, base: Omit<ProvenanceRow, 'commit' | 'dirty' | 'backend' | 'preset' | 'createdAt' | 'finishedAt' | 'step' | 'steps' | 'wallSeconds' | 'root' | 'problems'>, problems: string[]): ProvenanceRow {
  const config = slot.run?.config ?? null;
  const result = slot.run?.result ?? null;
  return {
    ...base,
    commit: config?.git.commit ?? null,
    dirty: config?.git.dirty ?? null,
    backend: withSlurmNote(withEngine(backendName(config?.backend) ?? result?.costs?.backend ?? null, config?.engine), slot.run ?? null),
    preset: config?.preset ?? result?.preset ?? null,
    createdAt: config?.createdAt ?? result?.startedAt ?? null,
    finishedAt: result?.finishedAt ?? null,
    step: result?.step ?? null,
    steps: result?.steps ?? null,
    wallSeconds: result?.wallSeconds ?? null,
    root: slot.root,
    problems,
  };
}

/**
 * Every expected run with what is known about it, then folders that are not part of the grid
 * (another preset or an outdated config) and copies shadowed by an earlier runs root.
 */
export function provenanceRows(slots: readonly RunSlot[], strays: readonly StrayRun[], shadowed: readonly StrayRun[]): ProvenanceRow[] {
  const rows = slots.map((s) => {
    const problems = [...s.problems];
    if (s.run?.result?.error) problems.unshift(s.run.result.error);
    return fromRun(s, { variant: s.variant.name, seed: s.seed, runId: s.expected.runId, status: s.status, configHash: s.expected.configHash }, problems);
  });
  const extra = (list: readonly StrayRun[], status: 'not in grid' | 'shadowed') =>
    list.map((f) =>
      fromRun(
        { run: f.run, root: f.root },
        {
          variant: f.run.config?.variant ?? f.run.result?.variant ?? '?',
          seed: f.run.config?.seed ?? f.run.result?.seed ?? null,
          runId: f.run.runId,
          status,
          configHash: f.run.config?.configHash ?? f.run.result?.configHash ?? '?',
        },
        [...f.run.problems],
      ),
    );
  return [...rows, ...extra(strays, 'not in grid'), ...extra(shadowed, 'shadowed')];
}

/** The grid's wall time: from the earliest start to the latest finish of its runs (parallel jobs overlap). */
export interface GridWall {
  startedAt: string;
  finishedAt: string;
  seconds: number;
  /** Runs whose start and finish went into it. */
  runs: number;
  /** Runs of the grid without a finish time (missing, running, no result): the span may grow. */
  unfinished: number;
}

export function gridWallTime(slots: readonly RunSlot[]): GridWall | null {
  const spans = slots.flatMap((s) => {
    const r = s.run?.result;
    if (!r || r.finishedAt === null) return [];
    const start = Date.parse(r.startedAt);
    const end = Date.parse(r.finishedAt);
    return Number.isFinite(start) && Number.isFinite(end) ? [{ start, end }] : [];
  });
  if (spans.length === 0) return null;
  const start = Math.min(...spans.map((x) => x.start));
  const end = Math.max(...spans.map((x) => x.end));
  return {
    startedAt: new Date(start).toISOString(),
    finishedAt: new Date(end).toISOString(),
    seconds: (end - start) / 1000,
    runs: spans.length,
    unfinished: slots.length - spans.length,
  };
}
