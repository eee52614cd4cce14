import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** Two real runs (switch and ratio, 1000 steps) committed with the report. */
export const COMMITTED_RUNS = path.join(REPO_ROOT, 'reports', 'ablation', 'cpu-1k', 'runs');

export const HOSTILE = '<img src=x onerror="window.__xss=1">';

export interface Fixture {
  dir: string;
  root: string;
  runIds: string[];
}

/**
 * A runs root as the UI meets it: the two committed runs, a run caught mid-write (half a result.json, a
 * torn metrics line), a failed run whose variant and error are markup, and a symlink from a run folder
 * to a file outside the root.
 */
export function makeFixture(): Fixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unpool-ui-'));
  const root = path.join(dir, 'runs');
  fs.cpSync(COMMITTED_RUNS, root, { recursive: true });
  const exp = path.join(root, 'ablation');
  const real = fs.readdirSync(exp).sort();
  const source = path.join(exp, real[0]);

  const torn = path.join(exp, 'torn-s1-0000beef');
  fs.mkdirSync(torn);
  fs.copyFileSync(path.join(source, 'config.json'), path.join(torn, 'config.json'));
  const result = fs.readFileSync(path.join(source, 'result.json'), 'utf8');
  fs.writeFileSync(path.join(torn, 'result.json'), result.slice(0, Math.floor(result.length / 2)));
  const metrics = fs.readFileSync(path.join(source, 'metrics.jsonl'), 'utf8').split('\n').slice(0, 5).join('\n');
  fs.writeFileSync(path.join(torn, 'metrics.jsonl'), `${metrics}\n{"type":"train","step":5`);

  const hostile = path.join(exp, 'hostile-s2-0000dead');
  fs.mkdirSync(hostile);
  const config = JSON.parse(fs.readFileSync(path.join(source, 'config.json'), 'utf8'));
  fs.writeFileSync(path.join(hostile, 'config.json'), JSON.stringify({ ...config, runId: 'hostile-s2-0000dead', variant: HOSTILE, seed: 2 }));
  const parsed = JSON.parse(result);
  fs.writeFileSync(
    path.join(hostile, 'result.json'),
    JSON.stringify({ ...parsed, runId: 'hostile-s2-0000dead', variant: HOSTILE, seed: 2, status: 'failed', error: '</td></tr><script>window.__xss=2</script>', evals: {} }),
  );

  const outside = path.join(dir, 'secret.txt');
  fs.writeFileSync(outside, 'outside the runs root');
  fs.symlinkSync(outside, path.join(source, 'leak.txt'));
  return { dir, root, runIds: [...real, 'torn-s1-0000beef', 'hostile-s2-0000dead'] };
}

/** An experiment file: ablation's smoke preset, long enough (and logging every step) to watch it advance. */
export function writeLiveExperiment(dir: string): string {
  const file = path.join(dir, 'live.ts');
  const ablation = path.join(REPO_ROOT, 'experiments', 'ablation.ts');
  fs.writeFileSync(
    file,
    `import base from ${JSON.stringify(ablation)};
export default { ...base, name: 'live', presets: { ...base.presets, smoke: { ...base.presets.smoke, steps: 400, logEvery: 1, evalEvery: 100, checkpointEvery: 100 } } };
`,
  );
  return file;
}
