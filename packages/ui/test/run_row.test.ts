import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configDifferences, fileInside, reproduceCommand, runRow, urlSegments } from '../src/index.js';
import { scanRuns } from '../src/run_source.js';
import { makeFixture, type Fixture } from './fixture.js';

/** A pid that is certainly not alive: one past the kernel's maximum. */
function deadPid(): number {
  return Number(fs.readFileSync('/proc/sys/kernel/pid_max', 'utf8')) + 1;
}

describe('run rows from run folders', () => {
  let fx: Fixture;
  beforeAll(() => {
    fx = makeFixture();
  });
  afterAll(() => fs.rmSync(fx.dir, { recursive: true, force: true }));

  it('reads the latest step, loss and validation mIoU, and the final mIoU per set', () => {
    const runs = scanRuns([fx.root]);
    const ratio = runs.find((r) => r.runId.startsWith('ratio'))!;
    const row = runRow(ratio);
    const lastTrain = ratio.metrics.filter((l) => l.type === 'train').at(-1)!;
    expect(row.status).toBe('completed');
    expect(row.step).toBe(1000);
    expect(row.loss).toBe(lastTrain.type === 'train' ? lastTrain.loss : NaN);
    expect(row.finalMiou['synth-city']).toBe(ratio.result!.evals['synth-city'].miou);
    expect(row.key).toBe(`0/ablation/${ratio.runId}`);
    expect(reproduceCommand(row, 'runs')).toMatch(/^git checkout [0-9a-f]{12}\npnpm exp run ablation --preset cpu-1k --only ratio --seeds 0 --backend wasm --out runs$/);
  });

  it('tells a live run from a stale lock and an interrupted one, with its ETA', () => {
    const src = scanRuns([fx.root]).find((r) => r.runId.startsWith('switch'))!;
    const result = JSON.parse(fs.readFileSync(path.join(src.dir, 'result.json'), 'utf8'));
    fs.writeFileSync(path.join(src.dir, 'result.json'), JSON.stringify({ ...result, status: 'running', step: 400, finishedAt: null }));
    const lines = fs.readFileSync(path.join(src.dir, 'metrics.jsonl'), 'utf8').split('\n').filter(Boolean);
    const upTo = lines.filter((l) => JSON.parse(l).step <= 500);
    fs.writeFileSync(path.join(src.dir, 'metrics.jsonl'), upTo.join('\n') + '\n');
    const lastTrain = upTo.map((l) => JSON.parse(l)).filter((l) => l.type === 'train').at(-1);
    const read = () => runRow(scanRuns([fx.root]).find((r) => r.runId === src.runId)!);

    expect(read().status).toBe('interrupted');
    fs.writeFileSync(path.join(src.dir, 'lock'), JSON.stringify({ host: os.hostname(), pid: process.pid, since: 'x' }));
    const live = read();
    expect(live.status).toBe('running');
    // metrics.jsonl is ahead of result.json (which is written at checkpoints).
    expect(live.step).toBe(lastTrain.step);
    expect(live.etaSeconds).toBeCloseTo((1000 - lastTrain.step) * lastTrain.secondsPerStep, 6);
    fs.writeFileSync(path.join(src.dir, 'lock'), JSON.stringify({ host: os.hostname(), pid: deadPid(), since: 'x' }));
    expect(read().status).toBe('stale lock');
  });

  it('calls a folder with only config.json starting, and one with a half-written result.json unreadable', () => {
    const src = scanRuns([fx.root]).find((r) => r.runId.startsWith('ratio'))!;
    const dir = path.join(fx.root, 'ablation', 'fresh-s9-00000000');
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(src.dir, 'config.json'), path.join(dir, 'config.json'));
    const rows = scanRuns([fx.root]).map(runRow);
    const fresh = rows.find((r) => r.runId === 'fresh-s9-00000000')!;
    expect(fresh.status).toBe('starting');
    expect(fresh.problems).toEqual(['result.json is missing', 'metrics.jsonl is missing']);
    const torn = rows.find((r) => r.runId === 'torn-s1-0000beef')!;
    expect(torn.status).toBe('unreadable');
    expect(torn.variant).toBe('ratio');
    fs.rmSync(dir, { recursive: true });
  });

  it('lists only the config keys that differ', () => {
    const runs = scanRuns([fx.root]).filter((r) => /^(ratio|switch)/.test(r.runId));
    const diffs = configDifferences(runs.map((run) => ({ run, row: runRow(run) })));
    const keys = diffs.map((d) => d.key);
    expect(keys).toContain('config.model.unpool');
    expect(keys).toContain('config.variant.name');
    expect(keys).not.toContain('config.seed');
    expect(keys).not.toContain('config.height');
    expect(diffs.find((d) => d.key === 'config.model.unpool')!.values).toEqual(['"ratio"', '"switch"']);
  });
});

describe('paths of requests', () => {
  it('rejects segments that could leave a folder once decoded', () => {
    expect(urlSegments('/files/0/a%20b/c.json')).toEqual(['files', '0', 'a b', 'c.json']);
    for (const p of ['/files/..', '/files/%2e%2E/x', '/files/a%2fb', '/files/a%5Cb', '/files/%00', '/files/%E0%A4%A']) expect(urlSegments(p), p).toBeNull();
  });

  it('finds files inside the root only, symlinks followed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unpool-ui-paths-'));
    try {
      const root = path.join(dir, 'root');
      fs.mkdirSync(path.join(root, 'sub'), { recursive: true });
      fs.writeFileSync(path.join(root, 'sub', 'in.txt'), 'in');
      fs.writeFileSync(path.join(dir, 'out.txt'), 'out');
      fs.symlinkSync(path.join(dir, 'out.txt'), path.join(root, 'sub', 'link.txt'));
      fs.symlinkSync(path.join(root, 'sub', 'in.txt'), path.join(root, 'inner-link.txt'));
      fs.mkdirSync(path.join(dir, 'root-sibling'));
      fs.writeFileSync(path.join(dir, 'root-sibling', 'x.txt'), 'x');
      expect(fileInside(root, ['sub', 'in.txt'])).toBe(fs.realpathSync(path.join(root, 'sub', 'in.txt')));
      expect(fileInside(root, ['inner-link.txt'])).not.toBeNull();
      expect(fileInside(root, ['sub', 'link.txt'])).toBeNull();
      expect(fileInside(root, ['sub'])).toBeNull();
      expect(fileInside(root, ['..', 'root-sibling', 'x.txt'])).toBeNull();
      expect(fileInside(root, ['nope'])).toBeNull();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
