import type { EvalScores, Experiment, Variant } from '@unpool/results';
import type { RunSlot } from './run_slots.js';
import { variantCell, type VariantCell } from './variant_cell.js';

/** A per-evaluation score to tabulate per variant and evaluation set. */
export interface MetricDef {
  key: string;
  label: string;
  /** Unit shown in the header ('%', 'nats'). */
  unit: string;
  /** Null when undefined for this evaluation, undefined when the evaluation does not have it. */
  pick: (scores: EvalScores) => number | null | undefined;
  factor: number;
  /** Whether a larger value is better (bolds the best of each column). */
  higherIsBetter: boolean;
}

export interface MetricTable {
  metrics: MetricDef[];
  sets: { name: string; label: string }[];
  rows: { variant: string; label: string; cells: VariantCell[] }[];
  /** Index (per column) of the row with the best mean, for bolding; -1 when none. */
  best: number[];
}

/**
 * Variants x (evaluation set x metric), for the variants `include` accepts. Variants whose every cell
 * has no such evaluation are left out too.
 */
export function metricTable(experiment: Experiment, slots: readonly RunSlot[], metrics: MetricDef[], include: (v: Variant) => boolean = () => true): MetricTable {
  const sets = experiment.data.eval.map((e) => ({ name: e.name, label: e.label }));
  const rows = experiment.variants
    .filter(include)
    .map((v) => ({
      variant: v.name,
      label: v.label,
      cells: sets.flatMap((s) =>
        metrics.map((m) =>
          variantCell(
            slots,
            v.name,
            (r) => {
              const scores = r.evals[s.name];
              return scores === undefined ? undefined : m.pick(scores);
            },
            m.factor,
          ),
        ),
      ),
    }))
    .filter((r) => r.cells.some((c) => c.kind !== 'absent'));
  const columns = sets.length * metrics.length;
  const best = Array.from({ length: columns }, (_, c) => {
    const m = metrics[c % metrics.length];
    let bestRow = -1;
    let bestValue = 0;
    rows.forEach((r, i) => {
      const cell = r.cells[c];
      if (cell.kind !== 'stats') return;
      const v = cell.stats.mean;
      if (bestRow < 0 || (m.higherIsBetter ? v > bestValue : v < bestValue)) {
        bestRow = i;
        bestValue = v;
      }
    });
    return bestRow;
  });
  return { metrics, sets, rows, best };
}

export const BOUNDARY_METRICS: MetricDef[] = [
  { key: 'boundaryF', label: 'boundary F', unit: '%', pick: (s) => s.boundary.fscore, factor: 100, higherIsBetter: true },
  { key: 'trimapIoU', label: 'trimap IoU', unit: '%', pick: (s) => s.boundary.trimapIoU, factor: 100, higherIsBetter: true },
  { key: 'miou', label: 'mIoU', unit: '%', pick: (s) => s.miou, factor: 100, higherIsBetter: true },
];

export const UNCERTAINTY_METRICS: MetricDef[] = [
  { key: 'meanEntropy', label: 'mean entropy', unit: 'nats', pick: (s) => (s.uncertainty ? s.uncertainty.meanEntropy : undefined), factor: 1, higherIsBetter: false },
  { key: 'entropyCorrect', label: 'entropy, correct px', unit: 'nats', pick: (s) => (s.uncertainty ? s.uncertainty.entropyCorrect : undefined), factor: 1, higherIsBetter: false },
  { key: 'entropyIncorrect', label: 'entropy, wrong px', unit: 'nats', pick: (s) => (s.uncertainty ? s.uncertainty.entropyIncorrect : undefined), factor: 1, higherIsBetter: true },
  { key: 'ece', label: 'ECE', unit: '%', pick: (s) => (s.uncertainty ? s.uncertainty.ece : undefined), factor: 100, higherIsBetter: false },
];

/** The boundary tolerances (pixels) found in completed results, to state in the caption. */
export function boundaryTolerances(slots: readonly RunSlot[]): number[] {
  const ds = new Set<number>();
  for (const s of slots) {
    if (s.status !== 'completed' || !s.run?.result) continue;
    for (const e of Object.values(s.run.result.evals)) ds.add(e.boundary.d);
  }
  return [...ds].sort((a, b) => a - b);
}
