import type { Costs, Experiment } from '@unpool/results';
import type { RunSlot } from './run_slots.js';
import { seedStats, type SeedStats } from './seed_stats.js';

type CostKey = 'params' | 'unpoolBytesPerImage' | 'unpoolInferenceBytesPerImage' | 'trainMsPerStep' | 'inferenceMsPerImage' | 'inferenceMcMsPerImage' | 'peakTrainBytes';

export const COST_FIELDS: { key: CostKey; label: string; unit: 'count' | 'bytes' | 'ms' }[] = [
  { key: 'params', label: 'parameters', unit: 'count' },
  { key: 'unpoolBytesPerImage', label: 'unpooling bytes kept / image', unit: 'bytes' },
  { key: 'unpoolInferenceBytesPerImage', label: 'unpooling memory at inference / image', unit: 'bytes' },
  { key: 'trainMsPerStep', label: 'train ms / step', unit: 'ms' },
  { key: 'inferenceMsPerImage', label: 'inference ms / image', unit: 'ms' },
  { key: 'inferenceMcMsPerImage', label: 'MC inference ms / image', unit: 'ms' },
  { key: 'peakTrainBytes', label: 'peak train memory (tfjs step)', unit: 'bytes' },
];

export interface CostRow {
  variant: string;
  label: string;
  backend: string;
  /** Completed runs measured on this backend. */
  runs: number;
  batchSize: number | null;
  /** MC samples of the MC inference timing (Bayesian variants). */
  mcSamples: number | null;
  values: Record<CostKey, SeedStats | null>;
}

/** What computed a run's timings: the backend, plus the engine when it was not tfjs on that backend. */
export function computeLabel(costs: Pick<Costs, 'backend' | 'engine'>): string {
  return costs.engine && costs.engine !== 'tfjs' ? `${costs.backend} + ${costs.engine}` : costs.backend;
}

/** Costs per variant and backend/engine (timings from different ones must not be averaged together). */
export function costRows(experiment: Experiment, slots: readonly RunSlot[]): CostRow[] {
  const rows: CostRow[] = [];
  for (const v of experiment.variants) {
    const done = slots.filter((s) => s.variant.name === v.name && s.status === 'completed' && s.run?.result?.costs);
    const backends = [...new Set(done.map((s) => computeLabel(s.run!.result!.costs!)))].sort();
    for (const backend of backends) {
      const runs = done.filter((s) => computeLabel(s.run!.result!.costs!) === backend);
      const costs: Costs[] = runs.map((s) => s.run!.result!.costs!);
      const values = Object.fromEntries(COST_FIELDS.map((f) => [f.key, seedStats(costs.map((c) => c[f.key]))])) as Record<CostKey, SeedStats | null>;
      rows.push({
        variant: v.name,
        label: v.label,
        backend,
        runs: runs.length,
        batchSize: runs[0].expected.config.batchSize,
        mcSamples: v.bayesian ? runs[0].expected.config.mcSamples : null,
        values,
      });
    }
  }
  return rows;
}
