import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderReport, renderSweepReport, sweepModel } from '@unpool/report';
import { canonicalJson, type Experiment } from '@unpool/results';
import { parse, UsageError } from '../args.js';
import { loadExperiment, repoRoot, UnknownExperimentError } from '../load_experiment.js';

export const reportUsage = 'exp report <experiment> [--preset p] [--runs runs/]... [--out reports/<experiment>] [--bench file.json]...';

/**
 * Renders reports/<experiment>/ from the run folders: the given runs roots first, then the results
 * committed under reports/<experiment>/runs (so the report regenerates without retraining), with any
 * benchmark JSON committed under reports/<experiment>/bench.
 */
export async function writeReport(experiment: Experiment, preset: string, runsRoots: string[], outDir?: string, benchFiles?: string[]) {
  const out = outDir ?? path.join(repoRoot(), 'reports', experiment.name);
  const committed = path.join(repoRoot(), 'reports', experiment.name, 'runs');
  const roots = [...runsRoots.map((r) => path.resolve(r)), committed].filter((r, i, all) => all.indexOf(r) === i);
  if (isSweep(experiment)) {
    // A sweep's page covers every stage (preset) at once, so `preset` only chose which runs were trained.
    const { files, warnings } = renderSweepReport({ experiment, runsRoots: roots, outDir: out, pathBase: repoRoot() });
    return done(files, warnings, out);
  }
  const benchDir = path.join(repoRoot(), 'reports', experiment.name, 'bench');
  const bench = benchFiles ?? (fs.existsSync(benchDir) ? fs.readdirSync(benchDir).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(benchDir, f)) : []);
  const { files, warnings } = await renderReport({
    experiment,
    preset,
    runsRoots: roots,
    outDir: out,
    benchFiles: bench,
    pathBase: repoRoot(),
    sweep: await sweepFor(experiment, out),
    long: longFor(experiment, preset, runsRoots, out),
  });
  return done(files, warnings, out);
}

function done(files: string[], warnings: string[], out: string): string[] {
  for (const w of warnings) process.stderr.write(`report: warning: ${w}\n`);
  process.stderr.write(`report: wrote ${files.length} files to ${path.relative(process.cwd(), out) || out} (open ${path.join(out, 'index.html')})\n`);
  return files;
}

/** An experiment whose variants are sweep cells (per-variant overrides of the training setting). */
function isSweep(experiment: Experiment): boolean {
  return experiment.variants.some((v) => v.overrides && sweepModel(v));
}

/** Link from the page in `out` to a folder's index.html. */
const linkTo = (out: string, folder: string) => `${path.relative(out, folder).split(path.sep).join('/')}/index.html`;

/**
 * The sweep that tunes this experiment's setting: `experiments/sweep.ts` when it trains on the same data,
 * with its committed runs (reports/sweep/runs), so the page can say whether its setting is the winner.
 */
async function sweepFor(experiment: Experiment, out: string): Promise<{ experiment: Experiment; runsRoots: string[]; href: string } | undefined> {
  let sweep: Experiment;
  try {
    sweep = (await loadExperiment(SWEEP)).experiment;
  } catch (err) {
    // No sweep in this checkout (or bundle): nothing to link. A broken sweep file still fails loudly.
    if (err instanceof UnknownExperimentError) return undefined;
    throw err;
  }
  if (sweep.name === experiment.name || canonicalJson(sweep.data) !== canonicalJson(experiment.data)) return undefined;
  const folder = path.join(repoRoot(), 'reports', SWEEP);
  return { experiment: sweep, runsRoots: [path.join(folder, 'runs')], href: linkTo(out, folder) };
}

/** The long preset's runs (given roots, then reports/<experiment>/<preset>/runs) for the default page. */
function longFor(experiment: Experiment, preset: string, runsRoots: string[], out: string) {
  if (!(LONG_PRESET in experiment.presets) || preset === LONG_PRESET) return undefined;
  const folder = path.join(repoRoot(), 'reports', experiment.name, LONG_PRESET);
  return { preset: LONG_PRESET, runsRoots: [...runsRoots.map((r) => path.resolve(r)), path.join(folder, 'runs')], href: linkTo(out, folder) };
}

/** The experiment that sweeps the ablation's training setting, and the ablation's convergence preset. */
const SWEEP = 'sweep';
const LONG_PRESET = 'cpu-long';

export async function reportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('report', argv, {
    preset: { type: 'string' },
    runs: { type: 'string', multiple: true },
    out: { type: 'string' },
    bench: { type: 'string', multiple: true },
  });
  if (positionals.length !== 1) throw new UsageError(`usage: ${reportUsage}`);
  const { experiment } = await loadExperiment(positionals[0]);
  await writeReport(experiment, values.preset ?? experiment.defaultPreset, values.runs ?? ['runs'], values.out, values.bench);
  return 0;
}
