import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { expect, test } from 'vitest';
import { paramCount, segnetConfig, segnetPlan } from '@unpool/models';

const root = path.resolve(__dirname, '../../..');
// Debian's python3-torch lives in the system python (scripts/setup.sh --test installs it).
const PY = '/usr/bin/python3';

/** Shapes in one canonical form: conv kernels OIHW (PyTorch's), sorted, so layer order does not matter. */
const canonical = (shapes: number[][]) => shapes.map((s) => s.join('x')).sort();

test('the PyTorch replica (scripts/bench/torch_segnet.py) has the plan\'s parameters: same shapes, same count', () => {
  const r = spawnSync(PY, [path.join(root, 'scripts/bench/torch_segnet.py'), '--param-shapes'], { encoding: 'utf8' });
  expect(r.status, `${PY} torch_segnet.py failed (is python3-torch installed? scripts/setup.sh --test): ${r.stderr}`).toBe(0);
  const torch = JSON.parse(r.stdout) as { trainable: number[][]; runningStats: number[][] };
  const plan = segnetPlan(segnetConfig({ preset: 'mini' }));
  // Our kernels are HWIO [kh,kw,in,out]; PyTorch's are OIHW.
  const ours = plan.params.filter((s) => s.trainable).map((s) => (s.shape.length === 4 ? [s.shape[3], s.shape[2], s.shape[0], s.shape[1]] : s.shape));
  expect(canonical(torch.trainable)).toEqual(canonical(ours));
  const count = (shapes: number[][]) => shapes.reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0);
  expect(count(torch.trainable)).toBe(paramCount(plan.config));
  expect(count(torch.runningStats)).toBe(paramCount(plan.config, false) - paramCount(plan.config));
});
