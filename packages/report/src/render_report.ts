import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic, type Experiment } from '@unpool/results';
import { benchTable } from './bench_table.js';
import { collectRuns } from './collect_runs.js';
import { collectSweep } from './render_sweep.js';
import { reportHtml } from './html_page.js';
import { loadPaperTable1 } from './paper_table1.js';
import { groupBenchFiles, orphanRoundsWarning, vsPytorchTable } from './pytorch_table.js';
import { qualitativeFigures } from './qualitative_figures.js';
import { buildReportModel, type ReportInput } from './report_model.js';
import { renderSvg } from './svg_render.js';
import { table1Csv, table1Markdown } from './table1_text.js';
import { loadVegaAssets } from './vega_assets.js';

export interface RenderReportOptions {
  experiment: Experiment;
  preset: string;
  /** Searched in order; the first root holding a run id wins. */
  runsRoots: string[];
  outDir: string;
  /**
   * JSON files written by `pnpm bench ops` / `pnpm bench train`; a `vs-pytorch.json` among them gets its
   * own section, and the raw vs-PyTorch rounds it summarises are not shown on their own.
   */
  benchFiles?: string[];
  /** Timestamp printed in the report (default: now). */
  now?: Date;
  /** Paths on the page are shown relative to this folder (the repository root; default: the cwd). */
  pathBase?: string;
  /** The sweep that chose the base setting: its runs and its page's link from this page. */
  sweep?: { experiment: Experiment; runsRoots: string[]; href: string };
  /** A longer preset of the same experiment (e.g. cpu-long): its runs roots and its page's link. */
  long?: { preset: string; runsRoots: string[]; href: string };
}

export interface RenderReportResult {
  /** Paths of the files written. */
  files: string[];
  warnings: string[];
}

/** The parsed JSON of `file`, or the error (also pushed to `warnings`). */
function readJson(file: string, warnings: string[]): { value: unknown } | { file: string; error: string } {
  try {
    return { value: JSON.parse(fs.readFileSync(file, 'utf8')) as unknown };
  } catch (err) {
    const error = `${file}: ${(err as Error).message}`;
    warnings.push(error);
    return { file, error };
  }
}

function readBench(files: readonly string[], warnings: string[]): ReportInput['bench'] {
  return files.map((file) => {
    const read = readJson(file, warnings);
    if ('error' in read) return read;
    const table = benchTable(path.basename(file), read.value);
    if ('error' in table) warnings.push(table.error);
    return table;
  });
}

function readVsPytorch(files: readonly string[], warnings: string[]): ReportInput['vsPytorch'] {
  return files.map((file) => {
    const read = readJson(file, warnings);
    if ('error' in read) return read;
    const table = vsPytorchTable(path.basename(file), read.value);
    if ('error' in table) warnings.push(table.error);
    return table;
  });
}

/**
 * Regenerates the report of an experiment into `outDir`: index.html (self-contained), table1.md,
 * table1.csv and one SVG per chart. Every file is written atomically, so a browser or a CI artifact
 * upload never sees half a report file.
 */
export async function renderReport(options: RenderReportOptions): Promise<RenderReportResult> {
  const { experiment, preset, runsRoots, outDir } = options;
  const warnings: string[] = [];
  const matched = collectRuns(experiment, preset, runsRoots);
  const qualitative = qualitativeFigures(experiment, matched.slots, warnings);
  const benchFiles = groupBenchFiles(options.benchFiles ?? []);
  const orphans = orphanRoundsWarning(benchFiles);
  if (orphans) warnings.push(orphans);
  const bench = readBench(benchFiles.bench, warnings);
  const vsPytorch = readVsPytorch(benchFiles.vsPytorch, warnings);
  const model = buildReportModel({
    experiment,
    preset,
    runsRoots,
    matched,
    paper: loadPaperTable1(),
    qualitative,
    bench,
    vsPytorch,
    generatedAt: (options.now ?? new Date()).toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
    pathBase: options.pathBase,
    warnings,
    sweep: options.sweep && { summary: collectSweep(options.sweep.experiment, options.sweep.runsRoots).summary, href: options.sweep.href },
    long: options.long && { ...options.long, slots: collectRuns(experiment, options.long.preset, options.long.runsRoots).slots },
  });

  const outputs: [string, string][] = [
    ['index.html', reportHtml(model, { assets: loadVegaAssets() })],
    ['table1.md', table1Markdown(model.table1, `Table 1: ${experiment.name}, preset ${preset}`)],
    ['table1.csv', table1Csv(model.table1)],
  ];
  if (model.headline) outputs.push(['headline.md', `${model.headline}\n`]);
  for (const chart of model.charts) outputs.push([`${chart.id}.svg`, await renderSvg(chart.spec)]);

  const files = outputs.map(([name, text]) => {
    const file = path.join(outDir, name);
    writeFileAtomic(file, text);
    return file;
  });
  return { files, warnings: model.consoleWarnings };
}
