import type { Experiment } from '@unpool/results';
import type { PairedGain } from './paired_gain.js';
import type { PaperTable1 } from './paper_table1.js';
import type { RunSlot } from './run_slots.js';
import { runSetting, sameSetting, type SweepSetting, type SweepSummary } from './sweep.js';
import { buildTable1, type Table1 } from './table1.js';

/**
 * What the ablation's page says about its own training setting, the sweep that chose it, and the long
 * run: pure functions over matched slots and the sweep's summary.
 */

/** The settings the ablation's runs trained with (from their config.json; the grid's when none is read). */
export function baseSettings(slots: readonly RunSlot[]): SweepSetting[] {
  const out: SweepSetting[] = [];
  for (const s of slots) {
    const stored = s.run?.config?.config as Parameters<typeof runSetting>[0] | undefined;
    const setting = runSetting(stored?.optimizer && stored.schedule && stored.model ? stored : s.expected.config);
    if (!out.some((o) => sameSetting(o, setting))) out.push(setting);
  }
  return out;
}

export interface SweepNote {
  href: string;
  base: SweepSetting[];
  /** The sweep's winner for the baselines, null while the sweep has none (no committed runs). */
  winner: SweepSetting | null;
  /** The winner is not what the ablation trained with. */
  differs: boolean;
}

export function sweepNote(base: SweepSetting[], summary: SweepSummary | null, href: string): SweepNote {
  const winner = summary?.winner?.winner.setting ?? null;
  return { href, base, winner, differs: winner !== null && !(base.length === 1 && sameSetting(base[0], winner)) };
}

/** Ratio minus switch (the standard pair) on the first evaluation set's Average row, paired over seeds. */
export function standardGap(table: Table1): PairedGain | null {
  const set = table.gains[0]?.set;
  return table.gains.find((g) => g.set === set && !g.bayesian)?.paired ?? null;
}

export interface LongRunNote {
  preset: string;
  href: string;
  steps: number;
  defaultSteps: number;
  gapDefault: PairedGain | null;
  gapLong: PairedGain;
}

/** The long preset's gap beside the default's; null when the long preset has no completed pair. */
export function longRunNote(
  experiment: Experiment,
  paper: PaperTable1,
  table: Table1,
  defaultSlots: readonly RunSlot[],
  long: { preset: string; slots: readonly RunSlot[]; href: string },
): LongRunNote | null {
  const gapLong = standardGap(buildTable1(experiment, long.slots, paper));
  if (!gapLong) return null;
  const steps = (slots: readonly RunSlot[]) => slots[0]?.expected.config.steps ?? 0;
  return { preset: long.preset, href: long.href, steps: steps(long.slots), defaultSteps: steps(defaultSlots), gapDefault: standardGap(table), gapLong };
}
