import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { defineExperiment, type Experiment } from '@unpool/results';

/** The repository root: the nearest folder above the CLI that holds pnpm-workspace.yaml. */
export function repoRoot(): string {
  let dir = path.dirname(new URL(import.meta.url).pathname);
  while (dir !== path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}

/** No experiment file by that name or path (callers that treat an experiment as optional catch this one). */
export class UnknownExperimentError extends Error {}

/**
 * Loads `experiments/<name>.ts` (or a path to an experiment file) and validates its default export, so a
 * bad definition fails with the file's name and the offending fields before anything runs.
 */
export async function loadExperiment(nameOrPath: string): Promise<{ experiment: Experiment; file: string }> {
  // In the bundle from `exp bundle`, experiments are compiled in (plain node cannot import .ts files).
  const bundled = (globalThis as Record<symbol, Map<string, { default?: unknown }> | undefined>)[Symbol.for('unpool.bundledExperiments')];
  const compiled = bundled?.get(nameOrPath);
  if (compiled !== undefined) {
    const file = `experiments/${nameOrPath}.ts (compiled into the bundle)`;
    let experiment: Experiment;
    try {
      experiment = defineExperiment(compiled.default as Experiment);
    } catch (err) {
      throw new Error(`${file}: ${(err as Error).message}`);
    }
    return { experiment: checkName(experiment, nameOrPath, file), file };
  }
  const candidates = nameOrPath.endsWith('.ts') || nameOrPath.includes('/')
    ? [path.resolve(nameOrPath)]
    : [path.join(repoRoot(), 'experiments', `${nameOrPath}.ts`)];
  const file = candidates.find((f) => fs.existsSync(f));
  if (!file) {
    const dir = path.join(repoRoot(), 'experiments');
    const known = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, '')) : [];
    throw new UnknownExperimentError(`unknown experiment '${nameOrPath}': no file ${candidates[0]} (experiments: ${known.join(', ') || 'none'})`);
  }
  let mod: { default?: unknown };
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
  if (!mod.default) throw new Error(`${file}: no default export (export default defineExperiment({...}))`);
  let experiment: Experiment;
  try {
    experiment = defineExperiment(mod.default as Experiment);
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
  return { experiment: checkName(experiment, path.basename(file, '.ts'), file), file };
}

/**
 * The name decides where runs and the report go (runs/<name>/, reports/<name>/), so a copied file that
 * kept another experiment's name would silently write into that experiment's runs and report.
 */
function checkName(experiment: Experiment, stem: string, file: string): Experiment {
  if (experiment.name !== stem) {
    throw new Error(`${file}: defines experiment '${experiment.name}' but the file is named '${stem}'; the name decides where its runs and report go, so rename one to match the other`);
  }
  return experiment;
}
