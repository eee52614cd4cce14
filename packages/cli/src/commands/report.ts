import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderReport } from '@unpool/report';
import type { Experiment } from '@unpool/results';
import { parse, UsageError } from '../args.js';
import { loadExperiment, repoRoot } from '../load_experiment.js';

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
  const benchDir = path.join(repoRoot(), 'reports', experiment.name, 'bench');
  const bench = benchFiles ?? (fs.existsSync(benchDir) ? fs.readdirSync(benchDir).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(benchDir, f)) : []);
  const { files, warnings } = await renderReport({ experiment, preset, runsRoots: roots, outDir: out, benchFiles: bench, pathBase: repoRoot() });
  for (const w of warnings) process.stderr.write(`report: warning: ${w}\n`);
  process.stderr.write(`report: wrote ${files.length} files to ${path.relative(process.cwd(), out) || out} (open ${path.join(out, 'index.html')})\n`);
  return files;
}

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
