import * as path from 'node:path';
import { writeFileAtomic, type Experiment } from '@unpool/results';
import { collectRuns } from './collect_runs.js';
import { sweepHtml } from './html_sweep.js';
import type { RunSlot } from './run_slots.js';
import { summarizeSweep, sweepStagePresets, type SweepSummary } from './sweep.js';
import { displayPath } from './view/paths.js';

export interface SweepStageSlots {
  preset: string;
  slots: RunSlot[];
}

/** Matches the sweep's runs to each stage's grid (a stage is a preset; see sweepStagePresets). */
export function collectSweep(experiment: Experiment, runsRoots: readonly string[]): { stages: SweepStageSlots[]; summary: SweepSummary } {
  const stages = sweepStagePresets(experiment).map((preset) => ({ preset, slots: collectRuns(experiment, preset, runsRoots).slots }));
  return { stages, summary: summarizeSweep(experiment, stages) };
}

export interface RenderSweepOptions {
  experiment: Experiment;
  runsRoots: string[];
  outDir: string;
  now?: Date;
  /** Paths on the page are shown relative to this folder (default: the cwd). */
  pathBase?: string;
}

/** Writes `<outDir>/index.html`, the sweep's page; returns the files written and the warnings. */
export function renderSweepReport(options: RenderSweepOptions): { files: string[]; warnings: string[]; summary: SweepSummary } {
  const { experiment, runsRoots, outDir } = options;
  const { stages, summary } = collectSweep(experiment, runsRoots);
  const warnings: string[] = [];
  stages.forEach((st) => {
    const bad = st.slots.filter((s) => s.status !== 'completed' && s.status !== 'missing');
    if (bad.length) warnings.push(`stage ${st.preset}: ${bad.map((s) => `${s.variant.name} seed ${s.seed} (${s.status})`).join(', ')}`);
  });
  const base = options.pathBase ?? process.cwd();
  const page = sweepHtml({
    experiment,
    summary,
    stageSlots: stages.map((s) => s.slots),
    runsRoots: runsRoots.map((r) => displayPath(r, base)),
    generatedAt: (options.now ?? new Date()).toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
    warnings,
  });
  const file = path.join(outDir, 'index.html');
  writeFileAtomic(file, page);
  return { files: [file], warnings, summary };
}
