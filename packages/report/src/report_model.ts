import * as os from 'node:os';
import type { Experiment } from '@unpool/results';
import type { BenchTable } from './bench_table.js';
import { costRows, type CostRow } from './costs_table.js';
import type { GenericTable } from './generic_table.js';
import { BOUNDARY_METRICS, boundaryTolerances, metricTable, UNCERTAINTY_METRICS, type MetricTable } from './metric_table.js';
import { onnxTable } from './onnx_table.js';
import type { PaperTable1 } from './paper_table1.js';
import type { VsPytorchTable } from './pytorch_table.js';
import { gridWallTime, provenanceRows, type GridWall, type ProvenanceRow } from './provenance.js';
import { headlineSentence } from './headline.js';
import { reportCharts, type ChartEntry } from './report_charts.js';
import type { MatchedRuns, RunSlot, SlotStatus } from './run_slots.js';
import { baseSettings, longRunNote, sweepNote, type LongRunNote, type SweepNote } from './ablation_notes.js';
import { settingText, type SweepSummary } from './sweep.js';
import type { SamplePick } from './sample_selection.js';
import { buildTable1, type Table1 } from './table1.js';
import { displayPath, scrubPaths } from './view/paths.js';

/** One image of a qualitative figure, already as a data: URI (null when the file could not be read). */
export interface FigureImage {
  caption: string;
  uri: string | null;
}

export interface QualitativeFigure {
  pairLabel: string;
  set: string;
  setLabel: string;
  seed: number;
  candidates: number;
  switchVariant: string;
  ratioVariant: string;
  rows: { pick: SamplePick; images: FigureImage[] }[];
}

export interface ReportInput {
  experiment: Experiment;
  preset: string;
  runsRoots: readonly string[];
  matched: MatchedRuns;
  paper: PaperTable1;
  qualitative: QualitativeFigure[];
  bench: (BenchTable | { file: string; error: string })[];
  /** vs-pytorch.json verdicts (normally none or one); omitted means none. */
  vsPytorch?: (VsPytorchTable | { file: string; error: string })[];
  generatedAt: string;
  /**
   * Folder that paths on the page are shown relative to (the repository root); paths outside it keep only
   * their last two segments, so the page never shows the rendering machine's layout. Default: the cwd.
   */
  pathBase?: string;
  /** Problems met while reading inputs (unreadable images, bench files). */
  warnings: string[];
  /** The sweep that chose the training setting (its page's link, relative to this page), if any. */
  sweep?: { summary: SweepSummary | null; href: string };
  /** A longer preset's runs of the same experiment (e.g. cpu-long), if any. */
  long?: { preset: string; slots: readonly RunSlot[]; href: string };
}

export interface ReportModel {
  experiment: Experiment;
  preset: string;
  runsRoots: readonly string[];
  generatedAt: string;
  statusCounts: Record<SlotStatus, number>;
  expectedRuns: number;
  table1: Table1;
  paper: PaperTable1;
  charts: ChartEntry[];
  qualitative: QualitativeFigure[];
  costs: CostRow[];
  bench: ReportInput['bench'];
  vsPytorch: NonNullable<ReportInput['vsPytorch']>;
  onnx: GenericTable;
  boundary: MetricTable;
  boundaryTolerances: number[];
  uncertainty: MetricTable;
  provenance: ProvenanceRow[];
  /** The one-sentence result (headline.md), or null without a reproduced gain. */
  headline: string | null;
  /** Wall time of the whole grid: earliest start to latest finish of its runs. */
  gridWall: GridWall | null;
  sweepNote: SweepNote | null;
  longRun: LongRunNote | null;
  /** Shown on the page: paths made repo-relative (see ReportInput.pathBase). */
  warnings: string[];
  /** The same with full paths, for the person running the command. */
  consoleWarnings: string[];
}

/** Everything the page shows, computed from what was read; no I/O. */
export function buildReportModel(input: ReportInput): ReportModel {
  const { experiment, matched } = input;
  const slots = matched.slots;
  const statusCounts: Record<SlotStatus, number> = { completed: 0, running: 0, interrupted: 0, failed: 0, diverged: 0, incomplete: 0, missing: 0 };
  for (const s of slots) statusCounts[s.status]++;
  const table1 = buildTable1(experiment, slots, input.paper);
  const boundary = metricTable(experiment, slots, BOUNDARY_METRICS);
  const { charts } = reportCharts(experiment, slots, table1, input.paper, boundary);
  const warnings = [...input.warnings];
  const notDone = slots.filter((s) => s.status !== 'completed');
  if (notDone.length) {
    warnings.unshift(
      `${notDone.length} of ${slots.length} expected runs are not completed: ${notDone.map((s) => `${s.variant.name} seed ${s.seed} (${s.status})`).join(', ')}.`,
    );
  }
  const withProblems = slots.filter((s) => s.problems.length > 0 && s.status !== 'missing');
  if (withProblems.length) warnings.push(`${withProblems.length} run folder(s) have problems; see Provenance.`);
  if (matched.strays.length) warnings.push(`${matched.strays.length} run folder(s) under the runs roots are not part of this grid (other preset or outdated config); listed under Provenance, not used.`);
  const note = input.sweep ? sweepNote(baseSettings(slots), input.sweep.summary, input.sweep.href) : null;
  if (note?.differs) warnings.unshift(sweepWarning(note));
  const base = input.pathBase ?? process.cwd();
  // Error messages name files by absolute path; temp and home folders are machine layout too.
  const scrub = (text: string) => scrubPaths(text, base, [...input.runsRoots, base, os.tmpdir(), os.homedir()]);
  return {
    experiment,
    preset: input.preset,
    runsRoots: input.runsRoots.map((r) => displayPath(r, base)),
    generatedAt: input.generatedAt,
    statusCounts,
    expectedRuns: slots.length,
    table1,
    paper: input.paper,
    charts,
    qualitative: input.qualitative,
    costs: costRows(experiment, slots),
    bench: input.bench,
    vsPytorch: input.vsPytorch ?? [],
    onnx: onnxTable(slots),
    boundary,
    boundaryTolerances: boundaryTolerances(slots),
    // Only MC-dropout networks have a predictive distribution worth scoring.
    uncertainty: metricTable(experiment, slots, UNCERTAINTY_METRICS, (v) => v.bayesian),
    provenance: provenanceRows(slots, matched.strays, matched.shadowed).map((p) => ({
      ...p,
      root: p.root === null ? null : displayPath(p.root, base),
      problems: p.problems.map(scrub),
    })),
    headline: headlineSentence(table1, experiment.name, input.preset),
    gridWall: gridWallTime(slots),
    sweepNote: note,
    longRun: input.long ? longRunNote(experiment, input.paper, table1, slots, input.long) : null,
    warnings: warnings.map(scrub),
    consoleWarnings: warnings,
  };
}

function sweepWarning(note: SweepNote): string {
  return `The sweep's winner for the baselines (${settingText(note.winner!)}) is not the setting these runs trained with (${note.base.map(settingText).join('; ')}): the ablation's base should adopt it and be re-run.`;
}
