import { listRuns, resolveRuns, type Experiment, type GridOptions } from '@unpool/results';
import { matchRuns, type RunSlot, type SlotStatus } from '@unpool/report';

/** The grid's expected runs matched with the folders under the runs roots (first root wins). */
export function gridSlots(experiment: Experiment, grid: GridOptions, roots: readonly string[]): RunSlot[] {
  const found = roots.flatMap((root) => listRuns(root, experiment.name).map((run) => ({ run, root })));
  return matchRuns(resolveRuns(experiment, grid), found).slots;
}

/** How many items have each key, in order of first appearance. */
export function countBy<T, K extends string>(items: readonly T[], key: (item: T) => K): Partial<Record<K, number>> {
  const counts: Partial<Record<K, number>> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

export const statusCounts = (slots: readonly RunSlot[]): Partial<Record<SlotStatus, number>> => countBy(slots, (s) => s.status);

/** `3 completed, 1 running, 1 missing` */
export function describeCounts(counts: Partial<Record<string, number>>): string {
  return Object.entries(counts)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
}

/**
 * Share of the grid's training steps done: a completed run counts whole, a running one by the last step it
 * logged (result.json says `running` at step 0 until the run ends).
 */
export function fractionDone(slots: readonly RunSlot[]): number {
  if (!slots.length) return 1;
  const parts = slots.map((s) => {
    if (s.status === 'completed') return 1;
    const steps = s.expected.config.steps;
    const logged = Math.max(0, ...(s.run?.metrics ?? []).map((m) => m.step));
    return s.status === 'running' && steps > 0 ? Math.min(1, logged / steps) : 0;
  });
  return parts.reduce((a, b) => a + b, 0) / slots.length;
}
