import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { appendMetrics, listRuns, loadRun, readMetrics, type MetricsLine } from '../src/index.js';

const train = (step: number): MetricsLine => ({ type: 'train', step, loss: 1 / step, lr: 1e-3, secondsPerStep: 0.1, time: step });
const committedRoot = path.resolve(__dirname, '../../../reports/ablation/runs/ablation');
// A committed ratio run (its id changes whenever the committed runs are replaced).
const committedId = fs.readdirSync(committedRoot).find((id) => id.startsWith('ratio-s0-'))!;
const committedRun = path.join(committedRoot, committedId);

function runsRootWithCopy(): { root: string; dir: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'store-'));
  const dir = path.join(root, 'ablation', committedId);
  fs.cpSync(committedRun, dir, { recursive: true });
  return { root, dir };
}

describe('metrics.jsonl with a torn last line (a crash during an append)', () => {
  test('readers skip it and report it; the next append cuts it off first', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jsonl-')), 'metrics.jsonl');
    appendMetrics(file, train(1));
    appendMetrics(file, train(2));
    fs.appendFileSync(file, '{"type":"train","step":3,"lo');
    const torn: string[] = [];
    expect(readMetrics(file, (p) => torn.push(p)).map((l) => l.step)).toEqual([1, 2]);
    expect(torn).toEqual([`${file}:3: torn last line (28 bytes, a write cut short) ignored`]);
    appendMetrics(file, train(3));
    expect(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).step)).toEqual([1, 2, 3]);
    expect(readMetrics(file, (p) => torn.push(p)).map((l) => l.step)).toEqual([1, 2, 3]);
    expect(torn).toHaveLength(1);
  });

  test('a finished run keeps its whole curve and lists the torn line as a problem', () => {
    const { root, dir } = runsRootWithCopy();
    const whole = loadRun(dir).metrics.length;
    fs.appendFileSync(path.join(dir, 'metrics.jsonl'), '{"type":"eval","st');
    const [run] = listRuns(root, 'ablation');
    expect(run.metrics).toHaveLength(whole);
    expect(run.problems).toEqual([expect.stringMatching(/metrics\.jsonl:\d+: torn last line/)]);
  });

  test('a bad line before the last is still an error, naming the line', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jsonl-')), 'metrics.jsonl');
    fs.writeFileSync(file, `${JSON.stringify(train(1))}\n{oops\n${JSON.stringify(train(2))}\n`);
    expect(() => readMetrics(file)).toThrow(/metrics\.jsonl:2: not valid JSON/);
  });
});

describe('a run whose result.json says running', () => {
  test('is interrupted when no live process holds its lock, running while one does', async () => {
    const { dir } = runsRootWithCopy();
    const result = JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8'));
    fs.writeFileSync(path.join(dir, 'result.json'), JSON.stringify({ ...result, status: 'running' }));
    expect(loadRun(dir).interrupted).toBe(true);
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      fs.writeFileSync(path.join(dir, 'lock'), JSON.stringify({ host: os.hostname(), pid: child.pid }));
      expect(loadRun(dir).interrupted).toBe(false);
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    // The same lock file, its process now dead (and reaped).
    expect(loadRun(dir).interrupted).toBe(true);
  });
});
