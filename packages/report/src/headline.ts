import { fmtSigned } from './format.js';
import type { PairedGain } from './paired_gain.js';
import type { Experiment } from '@unpool/results';
import { collectRuns } from './collect_runs.js';
import { loadPaperTable1 } from './paper_table1.js';
import { buildTable1, type Table1, type Table1Gain } from './table1.js';

/**
 * The report's one-sentence result, also written to `reports/<experiment>/headline.md` so the README's
 * Results sentence can be checked against the committed runs (a test compares the two).
 */

/** "+9.70 points (paired 95% t interval +5.10 to +14.30, n = 3 seeds)"; n = 1 says there is no interval. */
export function gainText(g: PairedGain): string {
  const seeds = `n = ${g.n} seed${g.n === 1 ? '' : 's'}`;
  if (!g.ci95) return `${fmtSigned(g.mean)} points (${seeds}: no interval)`;
  return `${fmtSigned(g.mean)} points (paired 95% t interval ${fmtSigned(g.ci95.low)} to ${fmtSigned(g.ci95.high)}, ${seeds})`;
}

function clause(g: Table1Gain): string {
  const who = g.bayesian ? 'Bayesian ratio − Bayesian switch' : 'ratio − switch';
  return `${who} ${g.paired ? gainText(g.paired) : 'not available (no seed with both runs completed)'}`;
}

/**
 * The sentence for the first evaluation set (the paper's Cityscapes stand-in): the standard and the
 * Bayesian gain on the Average row, or null when the table has no gain on that set.
 */
export function headlineSentence(table: Table1, experiment: string, preset: string): string | null {
  const set = table.gains[0]?.set;
  const gains = table.gains.filter((g) => g.set === set);
  if (gains.length === 0) return null;
  const ordered = [...gains.filter((g) => !g.bayesian), ...gains.filter((g) => g.bayesian)];
  return `Reproduced gain on ${set} (Average IoU, ${experiment} preset ${preset}): ${ordered.map(clause).join('; ')}.`;
}

/** Claimed gain of the paper's group, in points, or null when it lacks a number. */
export function claimedGain(g: Table1Gain): number | null {
  return g.paperSwitch !== null && g.paperRatio !== null ? g.paperRatio - g.paperSwitch : null;
}

/** The headline as `exp report` would write it, read straight from the run folders (no page rendered). */
export function headlineFromRuns(experiment: Experiment, preset: string, runsRoots: readonly string[]): string | null {
  const { slots } = collectRuns(experiment, preset, runsRoots);
  return headlineSentence(buildTable1(experiment, slots, loadPaperTable1()), experiment.name, preset);
}
