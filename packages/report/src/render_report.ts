import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic, type Experiment } from '@unpool/exp';
import { benchTable } from './bench_table.js';
import { collectRuns } from './collect_runs.js';
import { reportHtml } from './html_page.js';
import { loadPaperTable1 } from './paper_table1.js';
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
  /** JSON files written by `pnpm bench ops`. */
  benchFiles?: string[];
  /** Timestamp printed in the report (default: now). */
  now?: Date;
}

export interface RenderReportResult {
  /** Paths of the files written. */
  files: string[];
  warnings: string[];
}

function readBench(files: readonly string[], warnings: string[]): ReportInput['bench'] {
  return files.map((file) => {
    let value: unknown;
    try {
      value = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      const error = `${file}: ${(err as Error).message}`;
      warnings.push(error);
      return { file, error };
    }
    const table = benchTable(path.basename(file), value);
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
  const bench = readBench(options.benchFiles ?? [], warnings);
  const model = buildReportModel({
    experiment,
    preset,
    runsRoots,
    matched,
    paper: loadPaperTable1(),
    qualitative,
    bench,
    generatedAt: (options.now ?? new Date()).toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
    warnings,
  });

  const outputs: [string, string][] = [
    ['index.html', reportHtml(model, { assets: loadVegaAssets() })],
    ['table1.md', table1Markdown(model.table1, `Table 1: ${experiment.name}, preset ${preset}`)],
    ['table1.csv', table1Csv(model.table1)],
  ];
  for (const chart of model.charts) outputs.push([`${chart.id}.svg`, await renderSvg(chart.spec)]);

  const files = outputs.map(([name, text]) => {
    const file = path.join(outDir, name);
    writeFileAtomic(file, text);
    return file;
  });
  return { files, warnings: model.warnings };
}
