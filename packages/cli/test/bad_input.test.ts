import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect, test } from 'vitest';
import ablation from '../../../experiments/ablation.js';

const root = path.resolve(__dirname, '../../..');
const committed = path.join(root, 'reports/ablation/runs');
const exp = (...args: string[]) =>
  spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['--conditions=@unpool/source', path.join(root, 'packages/cli/src/main.ts'), ...args], { cwd: root, encoding: 'utf8' });
const tmp = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `exp-${name}-`));

/** The committed run folders' names (they change whenever the committed runs are replaced). */
const committedRuns = () => fs.readdirSync(path.join(committed, 'ablation')).sort();

/** An experiment file outside the repository: a plain object, so it imports nothing. */
function experimentFile(dir: string, stem: string, definition: object): string {
  const file = path.join(dir, `${stem}.ts`);
  fs.writeFileSync(file, `export default ${JSON.stringify(definition, null, 1)};\n`);
  return file;
}

test('exp merge given an experiment folder (one level too deep) refuses, names it, and copies nothing', () => {
  const out = path.join(tmp('merge'), 'merged');
  const r = exp('merge', path.join(committed, 'ablation'), '--out', out);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/reports\/ablation\/runs\/ablation holds run folders directly .* pass its parent, the runs root/);
  expect(fs.existsSync(out)).toBe(false);
  // The runs root itself merges.
  const ok = exp('merge', committed, '--out', out);
  expect(ok.status, ok.stderr).toBe(0);
  const count = committedRuns().length;
  expect(ok.stdout).toMatch(new RegExp(`${count} run folder\\(s\\) copied`));
  expect(fs.readdirSync(path.join(out, 'ablation'))).toHaveLength(count);
});

test("a copied experiment file that keeps another experiment's name is refused before it writes anything", () => {
  const dir = tmp('copy');
  const file = experimentFile(dir, 'my-ablation', ablation);
  const r = exp('run', file, '--preset', 'smoke', '--out', path.join(dir, 'runs'));
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/my-ablation\.ts: defines experiment 'ablation' but the file is named 'my-ablation'/);
  expect(fs.existsSync(path.join(dir, 'runs'))).toBe(false);
});

test('an empty --only or --seeds, or a seed above 2^53, fails before anything runs', () => {
  const out = path.join(tmp('grid'), 'runs');
  const only = exp('run', 'ablation', '--preset', 'smoke', '--only', '', '--out', out);
  expect(only.status).not.toBe(0);
  expect(only.stderr).toMatch(/--only names no variant/);
  const seeds = exp('run', 'ablation', '--preset', 'smoke', '--seeds', '', '--out', out);
  expect(seeds.status).not.toBe(0);
  expect(seeds.stderr).toMatch(/--seeds names no seed/);
  const big = exp('run', 'ablation', '--preset', 'smoke', '--seeds', '9007199254740993', '--out', out);
  expect(big.status).toBe(2);
  expect(big.stderr).toMatch(/--seeds: 9007199254740993 is above 2\^53-1/);
  expect(fs.existsSync(out)).toBe(false);
});

test('exp list shows a run whose process died as interrupted, not running', () => {
  const runs = tmp('list');
  fs.cpSync(committed, runs, { recursive: true });
  const ratio = committedRuns().find((id) => id.startsWith('ratio-s0-'))!;
  const sw = committedRuns().find((id) => id.startsWith('switch-s0-'))!;
  const dir = path.join(runs, 'ablation', ratio);
  const result = JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8'));
  fs.writeFileSync(path.join(dir, 'result.json'), JSON.stringify({ ...result, status: 'running' }));
  fs.writeFileSync(path.join(dir, 'lock'), JSON.stringify({ host: os.hostname(), pid: 2 ** 22 + 12345 }));
  const r = exp('list', '--out', runs);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toMatch(new RegExp(`${ratio}\\s+cpu\\s+interrupted`));
  expect(r.stdout).toMatch(new RegExp(`${sw}\\s+cpu\\s+completed`));
});

test('a corrupt training PNG fails the command once, naming the file, before any job starts', () => {
  const dir = tmp('png');
  const png = path.join(committed, 'ablation', committedRuns()[0], 'samples/synth-city-000-input.png');
  const data = path.join(dir, 'cityscapes');
  for (const k of [0, 1]) {
    const stem = `bonn_00000${k}_000019`;
    fs.mkdirSync(path.join(data, 'leftImg8bit/train/bonn'), { recursive: true });
    fs.mkdirSync(path.join(data, 'gtFine/train/bonn'), { recursive: true });
    fs.copyFileSync(png, path.join(data, 'leftImg8bit/train/bonn', `${stem}_leftImg8bit.png`));
    fs.copyFileSync(png, path.join(data, 'gtFine/train/bonn', `${stem}_gtFine_labelIds.png`));
  }
  const bad = path.join(data, 'leftImg8bit/train/bonn/bonn_000001_000019_leftImg8bit.png');
  fs.truncateSync(bad, fs.statSync(bad).size - 30);
  const city = { kind: 'cityscapes', root: data, split: 'train' };
  const file = experimentFile(dir, 'broken-data', { ...ablation, name: 'broken-data', data: { train: city, eval: [{ name: 'city', label: 'city', data: city }] } });
  const out = path.join(dir, 'runs');
  const r = exp('run', file, '--preset', 'smoke', '--jobs', '2', '--backend', 'cpu', '--out', out);
  expect(r.status).toBe(1);
  const errors = r.stderr.split('\n').filter((l) => l.includes('bonn_000001_000019_leftImg8bit.png'));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(/training data of experiment 'broken-data': .*bonn_000001_000019_leftImg8bit\.png: not a valid PNG \(.*truncated\)/);
  expect(r.stderr).not.toMatch(/\[job \d\]/);
  expect(fs.existsSync(path.join(out, 'broken-data'))).toBe(false);
});
