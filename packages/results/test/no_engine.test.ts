import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { expect, test } from 'vitest';

const root = path.resolve(__dirname, '../../..');

/** The compute engines loaded by a fresh Node process that imports these entry files (see loaded_engines.ts). */
function enginesLoadedBy(...entries: string[]): string[] {
  const r = spawnSync(
    path.join(root, 'node_modules/.bin/tsx'),
    ['--conditions=@unpool/source', path.join(__dirname, 'loaded_engines.ts'), ...entries.map((e) => path.join(root, e))],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

test('the run store, the report, the UI and the CLI commands that read runs load neither tfjs nor onnxruntime', () => {
  // The probe sees an engine where there is one: the runner loads tfjs (its built-in engine), the
  // onnxruntime engine package loads both.
  expect(enginesLoadedBy('packages/exp/src/index.ts')).toEqual(['@tensorflow/tfjs', 'tfjs engine global']);
  expect(enginesLoadedBy('packages/engine-onnxruntime/src/index.ts')).toEqual(['@tensorflow/tfjs', 'onnxruntime-node', 'tfjs engine global']);
  expect(
    enginesLoadedBy(
      'packages/results/src/index.ts',
      'packages/report/src/index.ts',
      'packages/ui/src/index.ts',
      'packages/cli/src/commands/ui.ts',
      'packages/cli/src/commands/list.ts',
      'packages/cli/src/commands/show.ts',
      'packages/cli/src/commands/merge.ts',
      'packages/cli/src/commands/report.ts',
    ),
  ).toEqual([]);
});
