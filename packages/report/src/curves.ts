import type { MetricsLine } from '@unpool/results';
import type { RunSlot, SlotStatus } from './run_slots.js';

/** Mean and min-max over seeds of one variant at one step. */
export interface CurvePoint {
  variant: string;
  label: string;
  step: number;
  mean: number;
  min: number;
  max: number;
  /** Seeds with a value at this step. */
  n: number;
}

export interface Curve {
  points: CurvePoint[];
  /** Runs left out of the curve because they stopped abnormally. */
  excluded: { runId: string; variant: string; seed: number; status: SlotStatus }[];
}

/**
 * Completed and still-running runs draw the curves (a running run up to its last logged step); failed
 * and diverged runs are left out and listed, since their last points would drag the mean down.
 */
const CURVE_STATUSES: ReadonlySet<SlotStatus> = new Set(['completed', 'running', 'interrupted']);

function curve(slots: readonly RunSlot[], value: (line: MetricsLine) => number | null): Curve {
  const excluded: Curve['excluded'] = [];
  const byKey = new Map<string, { variant: string; label: string; step: number; values: number[] }>();
  const order: string[] = [];
  for (const slot of slots) {
    if (!slot.run || slot.run.metrics.length === 0) continue;
    if (!CURVE_STATUSES.has(slot.status)) {
      excluded.push({ runId: slot.expected.runId, variant: slot.variant.name, seed: slot.seed, status: slot.status });
      continue;
    }
    // A resumed run may have logged a step twice before truncation; the last line wins.
    const perStep = new Map<number, number>();
    for (const line of slot.run.metrics) {
      const v = value(line);
      if (v !== null && Number.isFinite(v)) perStep.set(line.step, v);
    }
    for (const [step, v] of perStep) {
      const key = `${slot.variant.name}@${step}`;
      let entry = byKey.get(key);
      if (!entry) {
        entry = { variant: slot.variant.name, label: slot.variant.label, step, values: [] };
        byKey.set(key, entry);
        order.push(key);
      }
      entry.values.push(v);
    }
  }
  const points = order.map((k) => {
    const e = byKey.get(k)!;
    return {
      variant: e.variant,
      label: e.label,
      step: e.step,
      mean: e.values.reduce((a, b) => a + b, 0) / e.values.length,
      min: Math.min(...e.values),
      max: Math.max(...e.values),
      n: e.values.length,
    };
  });
  return { points: stableGroup(points), excluded };
}

/** Keeps variants in first-seen (experiment) order, steps ascending within each. */
function stableGroup(points: CurvePoint[]): CurvePoint[] {
  const variants = [...new Set(points.map((p) => p.variant))];
  return variants.flatMap((v) => points.filter((p) => p.variant === v).sort((a, b) => a.step - b.step));
}

/** Validation mIoU (19 classes, percent) on evaluation set `set` against the training step: Fig. 3. */
export function validationCurve(slots: readonly RunSlot[], set: string): Curve {
  return curve(slots, (l) => (l.type === 'eval' && l.set === set && l.miou !== null ? l.miou * 100 : null));
}

/** Training loss against the step. */
export function lossCurve(slots: readonly RunSlot[]): Curve {
  return curve(slots, (l) => (l.type === 'train' ? l.loss : null));
}
