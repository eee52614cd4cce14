import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect, test } from 'vitest';
import { listRuns, readResult, samplesIndexSchema } from '@unpool/exp';

const root = path.resolve(__dirname, '../../..');
const exp = (...args: string[]) =>
  spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['--conditions=@unpool/source', path.join(root, 'packages/cli/src/main.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
  });

test('`exp run ablation --preset smoke` runs all five variants on wasm, cross-checks them in ONNX and renders the report', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exp-smoke-'));
  const out = path.join(dir, 'runs');
  const report = path.join(dir, 'report');
  const tracked = () => spawnSync('git', ['status', '--porcelain', '--', 'reports', 'runs'], { cwd: root, encoding: 'utf8' }).stdout;
  const before = tracked();
  const r = exp('run', 'ablation', '--preset', 'smoke', '--backend', 'wasm', '--out', out);
  expect(r.status, r.stderr).toBe(0);
  // Runs outside the default runs folder leave the committed report alone, and the last line says so.
  expect(r.stderr.trim().split('\n').at(-1)).toMatch(/report not written: runs went to --out .* \(render one with exp report ablation --runs/);
  expect(tracked()).toBe(before);
  // The summary compares ratio with switch on both evaluation sets.
  expect(r.stdout).toMatch(/ratio - switch/);
  expect(r.stdout).toMatch(/synth-city mIoU.*synth-kitti mIoU/);
  const runs = listRuns(out, 'ablation');
  expect(runs.map((x) => x.runId.replace(/-s0-.*/, '')).sort()).toEqual(['bayes-ratio', 'bayes-switch', 'nearest', 'ratio', 'switch']);
  for (const run of runs) {
    expect(run.problems).toEqual([]);
    const result = readResult(path.join(run.dir, 'result.json'));
    expect(result.status).toBe('completed');
    // On a CPU backend the default engine is ONNX Runtime; both the run's config and its costs say so.
    expect(result.costs?.engine).toBe('onnxruntime');
    expect(run.config?.engine?.name).toBe('onnxruntime');
    expect(Object.keys(result.evals)).toEqual(['synth-city', 'synth-kitti']);
    expect(result.evals['synth-city'].mcSamples).toBe(run.runId.startsWith('bayes') ? 3 : 1);
    expect((result.onnx as { passed?: boolean }).passed).toBe(true);
    expect(fs.existsSync(path.join(run.dir, 'model.onnx'))).toBe(true);
    expect(run.config?.git.commit).toMatch(/^[0-9a-f]{40}$/);
    const samples = samplesIndexSchema.parse(JSON.parse(fs.readFileSync(path.join(run.dir, 'samples', 'index.json'), 'utf8')));
    for (const f of Object.values(samples.sets[0].images[0].files)) if (f) expect(fs.existsSync(path.join(run.dir, 'samples', f))).toBe(true);
    // Switch runs keep switch bytes; ratio and nearest keep none for unpooling during training.
    expect(result.costs!.unpoolBytesPerImage > 0).toBe(run.runId.includes('switch'));
  }
  const rendered = exp('report', 'ablation', '--preset', 'smoke', '--runs', out, '--out', report);
  expect(rendered.status, rendered.stderr).toBe(0);
  const html = fs.readFileSync(path.join(report, 'index.html'), 'utf8');
  expect(html).toContain('<table');
  expect(fs.existsSync(path.join(report, 'table1.csv'))).toBe(true);

  // Bad input: an unknown preset, variant, backend, engine or thread count each fail with a message naming them, exit code 2/1.
  const badPreset = exp('run', 'ablation', '--preset', 'huge', '--out', out);
  expect(badPreset.status).not.toBe(0);
  expect(badPreset.stderr).toMatch(/no preset 'huge'/);
  const badVariant = exp('run', 'ablation', '--only', 'ratoi', '--out', out);
  expect(badVariant.stderr).toMatch(/no variant 'ratoi'/);
  const badBackend = exp('run', 'ablation', '--backend', 'tpu', '--out', out);
  expect(badBackend.status).toBe(2);
  expect(badBackend.stderr).toMatch(/unknown backend 'tpu'/);
  const badEngine = exp('run', 'ablation', '--engine', 'cuda', '--out', out);
  expect(badEngine.status).toBe(2);
  expect(badEngine.stderr).toMatch(/unknown engine 'cuda'/);
  const badThreads = exp('run', 'ablation', '--threads', '0', '--out', out);
  expect(badThreads.status).toBe(2);
  expect(badThreads.stderr).toMatch(/--threads: expected a positive integer, got '0'/);
  const badExperiment = exp('run', 'nosuch', '--out', out);
  expect(badExperiment.stderr).toMatch(/unknown experiment 'nosuch'/);
}, 600_000);
