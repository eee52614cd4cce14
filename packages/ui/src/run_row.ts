import { backendName } from '@unpool/report';
import type { MetricsLine, RunRecord, RunResult } from './run_source.js';

/**
 * A run's status as the UI shows it. The store's own statuses, plus what only a reader can tell: a run
 * that says "running" but whose lock holder is dead (stale lock) or that holds no lock (interrupted),
 * and a folder whose result.json cannot be read yet (starting, or unreadable).
 */
export type RowStatus = RunResult['status'] | 'stale lock' | 'interrupted' | 'starting' | 'unreadable';

export interface RunRow {
  /** `<rootIndex>/<experiment>/<runId>`: the run's address in URLs. */
  key: string;
  rootIndex: number;
  experiment: string;
  runId: string;
  variant: string;
  seed: number | null;
  preset: string;
  configHash: string;
  status: RowStatus;
  step: number | null;
  steps: number | null;
  /** Seconds left at the latest logged speed, for a running run. */
  etaSeconds: number | null;
  loss: number | null;
  /** Latest validation mIoU (19 classes, 0-1) and the set and step it was measured on. */
  valMiou: { set: string; step: number; value: number | null } | null;
  /** Final mIoU per evaluation set (completed runs). */
  finalMiou: Record<string, number | null>;
  backend: string | null;
  engine: string | null;
  commit: string | null;
  dirty: boolean | null;
  startedAt: string | null;
  problems: string[];
}

export function runKey(r: Pick<RunRecord, 'rootIndex' | 'experiment' | 'runId'>): string {
  return `${r.rootIndex}/${r.experiment}/${r.runId}`;
}

function status(r: RunRecord): RowStatus {
  const stored = r.result?.status;
  // No result.json yet: the runner writes config.json first, so a config alone is a run starting up.
  if (!stored) return r.config && !r.hasResultFile ? 'starting' : 'unreadable';
  if (stored !== 'running') return stored;
  if (!r.lock) return 'interrupted';
  return r.lock.live ? 'running' : 'stale lock';
}

function lastOf<T extends MetricsLine['type']>(lines: readonly MetricsLine[], type: T): Extract<MetricsLine, { type: T }> | null {
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i].type === type) return lines[i] as Extract<MetricsLine, { type: T }>;
  return null;
}

function engineName(engine: Record<string, unknown> | undefined, costsEngine: string | undefined): string | null {
  if (engine && typeof engine.name === 'string') return engine.name;
  return costsEngine ?? null;
}

export function runRow(r: RunRecord): RunRow {
  const c = r.config;
  const res = r.result;
  const train = lastOf(r.metrics, 'train');
  const evalLine = lastOf(r.metrics, 'eval');
  const st = status(r);
  // metrics.jsonl is appended at every log step, result.json only at checkpoints: the later of the two.
  const step = Math.max(res?.step ?? -1, train?.step ?? -1, evalLine?.step ?? -1);
  const steps = res?.steps ?? (typeof c?.config.steps === 'number' ? c.config.steps : null);
  const eta = st === 'running' && train && steps !== null ? Math.max(0, steps - step) * train.secondsPerStep : null;
  return {
    key: runKey(r),
    rootIndex: r.rootIndex,
    experiment: c?.experiment ?? res?.experiment ?? r.experiment,
    runId: r.runId,
    variant: c?.variant ?? res?.variant ?? '?',
    seed: c?.seed ?? res?.seed ?? null,
    preset: c?.preset ?? res?.preset ?? '?',
    configHash: c?.configHash ?? res?.configHash ?? '?',
    status: st,
    step: step >= 0 ? step : null,
    steps,
    etaSeconds: eta,
    loss: train?.loss ?? null,
    valMiou: evalLine ? { set: evalLine.set, step: evalLine.step, value: evalLine.miou } : null,
    finalMiou: Object.fromEntries(Object.entries(res?.status === 'completed' ? res.evals : {}).map(([set, e]) => [set, e.miou])),
    backend: backendName(c?.backend) ?? res?.costs?.backend ?? null,
    engine: engineName(c?.engine, res?.costs?.engine),
    commit: c?.git.commit ?? null,
    dirty: c?.git.dirty ?? null,
    startedAt: res?.startedAt ?? c?.createdAt ?? null,
    problems: [...(res?.error ? [res.error] : []), ...r.problems],
  };
}
