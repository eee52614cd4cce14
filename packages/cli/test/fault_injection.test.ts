import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { selectBackend } from '@unpool/runtime';
import { listRuns, ProgressLine, readResult, runExperiment, type LoadedRun, type RunOutcome } from '@unpool/exp';
import ablation from '../../../experiments/ablation.js';
import { afterRunHooks } from '../src/post_run.js';

/**
 * Fault injection at each write point of a run: one uninterrupted reference run (smoke preset, one
 * variant), a snapshot of its folder right after the checkpoint at step 4 (what a crash there leaves),
 * then per fault a copy of the snapshot or of the finished run, damaged the way a crash or a full disk
 * damages it, and the same run again: it must end with the reference's numbers, or restart and say so.
 */
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'exp-faults-'));
const refRoot = path.join(base, 'reference');
const snapRoot = path.join(base, 'snapshot');
let reference: LoadedRun;

async function runOnce(runsRoot: string, snapshotAtStep?: number): Promise<{ outcome: RunOutcome; log: string }> {
  const lines: string[] = [];
  const stream = { isTTY: false, write: (t: string) => lines.push(t) > 0 } as unknown as NodeJS.WriteStream;
  const { outcomes } = await runExperiment(ablation, {
    preset: 'smoke',
    only: ['ratio'],
    runsRoot,
    backend: { name: 'cpu' },
    threads: 1,
    progress: new ProgressLine(stream),
    afterRun: afterRunHooks({ onnx: true, runsRoot }),
    afterCheckpoint: (step, runId) => {
      if (step !== snapshotAtStep) return;
      const dst = path.join(snapRoot, 'ablation', runId);
      fs.cpSync(path.join(runsRoot, 'ablation', runId), dst, { recursive: true, filter: (f) => path.basename(f) !== 'lock' });
    },
  });
  return { outcome: outcomes[0], log: lines.join('') };
}

/** A copy of the snapshot (mid-run) or of the finished reference run to damage. */
function copyOf(which: 'snapshot' | 'finished', name: string): { root: string; dir: string } {
  const root = path.join(base, name);
  fs.cpSync(which === 'snapshot' ? snapRoot : refRoot, root, { recursive: true, filter: (f) => path.basename(f) !== 'lock' });
  return { root, dir: path.join(root, 'ablation', reference.runId) };
}

/** The newest checkpoint folder of a run (`checkpoint/` itself in the layout before step folders). */
function newestCheckpoint(dir: string): string {
  const ck = path.join(dir, 'checkpoint');
  if (fs.existsSync(path.join(ck, 'manifest.json'))) return ck;
  return path.join(ck, fs.readdirSync(ck).sort().at(-1)!);
}

const curve = (run: LoadedRun) => run.metrics.map((m) => (m.type === 'eval' ? ['eval', m.step, m.miou] : ['train', m.step, m.loss]));

async function expectReferenceNumbers(root: string) {
  const again = await runOnce(root);
  expect(again.outcome.status, again.log).toBe('completed');
  const [run] = listRuns(root, 'ablation');
  expect(run.problems).toEqual([]);
  expect(run.result?.evals).toEqual(reference.result?.evals);
  expect(curve(run)).toEqual(curve(reference));
  return again.log;
}

beforeAll(async () => {
  await selectBackend('cpu');
  const { outcome } = await runOnce(refRoot, 4);
  expect(outcome.status).toBe('completed');
  [reference] = listRuns(refRoot, 'ablation');
  expect(readResult(path.join(snapRoot, 'ablation', reference.runId, 'result.json')).status).toBe('running');
}, 300_000);

test('model/ and the checkpoint folders get the mode of the run folder (not mkdtemp 0700)', () => {
  const mode = (f: string) => fs.statSync(f).mode & 0o777;
  const dir = reference.dir;
  const folders = [path.join(dir, 'model'), path.join(dir, 'checkpoint'), ...fs.readdirSync(path.join(dir, 'checkpoint')).map((f) => path.join(dir, 'checkpoint', f))];
  expect(folders.length).toBe(4);
  for (const f of folders) expect([f, mode(f)]).toEqual([f, mode(dir)]);
});

describe('a crash at each write point of a run, then the same run again', () => {
  test('config.json overwritten with garbage: rewritten, resumed from step 4, same numbers', async () => {
    const { root, dir } = copyOf('snapshot', 'config');
    fs.writeFileSync(path.join(dir, 'config.json'), '{"schemaVer');
    const log = await expectReferenceNumbers(root);
    expect(log).toMatch(/resuming from checkpoint at step 4\/6/);
  });

  test('metrics.jsonl ends in half a line: the reader reports it, the next append repairs it, same curve', async () => {
    const { root, dir } = copyOf('snapshot', 'metrics');
    fs.appendFileSync(path.join(dir, 'metrics.jsonl'), '{"type":"train","step":5,"lo');
    expect(listRuns(root, 'ablation')[0].problems.join()).toMatch(/metrics\.jsonl:\d+: torn last line/);
    await expectReferenceNumbers(root);
  });

  test('the newest checkpoint has a truncated tensors.bin: falls back to the one before, says so, same numbers', async () => {
    const { root, dir } = copyOf('snapshot', 'tensors');
    const bin = path.join(newestCheckpoint(dir), 'tensors.bin');
    fs.truncateSync(bin, Math.floor(fs.statSync(bin).size / 2));
    const log = await expectReferenceNumbers(root);
    expect(log).toMatch(/WARNING: checkpoint not usable, removed: .*step-00000004.*truncated/);
    expect(log).toMatch(/resuming from checkpoint at step 2\/6/);
  });

  test('the newest checkpoint has a garbage manifest.json: falls back, same numbers', async () => {
    const { root, dir } = copyOf('snapshot', 'manifest');
    fs.writeFileSync(path.join(newestCheckpoint(dir), 'manifest.json'), '\u0000\u0000garbage');
    const log = await expectReferenceNumbers(root);
    expect(log).toMatch(/step-00000004\/manifest\.json is not valid JSON/);
    expect(log).toMatch(/resuming from checkpoint at step 2\/6/);
  });

  test('every checkpoint unreadable: a clean restart from step 0, said loudly, same numbers', async () => {
    const { root, dir } = copyOf('snapshot', 'no-checkpoint');
    const ck = path.join(dir, 'checkpoint');
    const folders = fs.existsSync(path.join(ck, 'manifest.json')) ? [ck] : fs.readdirSync(ck).map((f) => path.join(ck, f));
    for (const f of folders) fs.rmSync(path.join(f, 'tensors.bin'));
    const log = await expectReferenceNumbers(root);
    expect(log).toMatch(/WARNING: no readable checkpoint left, restarting from step 0/);
  });

  test('result.json of a finished run truncated: not taken as completed, redone from the last checkpoint, same numbers', async () => {
    const { root, dir } = copyOf('finished', 'result');
    const file = path.join(dir, 'result.json');
    fs.truncateSync(file, 40);
    const log = await expectReferenceNumbers(root);
    expect(log).toMatch(/resuming from checkpoint at step 6\/6/);
  });

  test('samples and the final model missing from a finished run: its final stages are redone, same numbers', async () => {
    const { root, dir } = copyOf('finished', 'samples');
    fs.rmSync(path.join(dir, 'samples', 'index.json'));
    fs.rmSync(path.join(dir, 'model'), { recursive: true });
    const log = await expectReferenceNumbers(root);
    expect(log).toMatch(/completed, but samples\/index\.json, model\/manifest\.json is missing: redoing its final stages/);
    expect(fs.existsSync(path.join(dir, 'samples', 'index.json'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'model', 'manifest.json'))).toBe(true);
  });

  test('onnx-check.json garbage and model.onnx gone: the ONNX check is redone', async () => {
    const { root, dir } = copyOf('finished', 'onnx');
    fs.writeFileSync(path.join(dir, 'onnx-check.json'), '{"passed": tr');
    fs.rmSync(path.join(dir, 'model.onnx'));
    const again = await runOnce(root);
    expect(again.outcome.status).toBe('skipped');
    expect((JSON.parse(fs.readFileSync(path.join(dir, 'onnx-check.json'), 'utf8')) as { passed: boolean }).passed).toBe(true);
    expect(fs.statSync(path.join(dir, 'model.onnx')).size).toBeGreaterThan(0);
  });

  test('a recorded ONNX check that failed is redone on the next run of the command, not taken as done', async () => {
    const { root, dir } = copyOf('finished', 'onnx-failed');
    const resultFile = path.join(dir, 'result.json');
    const result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
    fs.writeFileSync(resultFile, JSON.stringify({ ...result, onnx: { ...result.onnx, passed: false } }));
    fs.writeFileSync(path.join(dir, 'onnx-check.json'), JSON.stringify({ ...result.onnx, passed: false }));
    const again = await runOnce(root);
    expect(again.outcome.status).toBe('skipped');
    expect(again.log + '').not.toMatch(/CHECK FAILED/);
    expect((readResult(resultFile).onnx as { passed: boolean }).passed).toBe(true);
    expect((JSON.parse(fs.readFileSync(path.join(dir, 'onnx-check.json'), 'utf8')) as { passed: boolean }).passed).toBe(true);
  });
});
