import { paramSpecs, segnetConfig } from '@unpool/models';
import { describe, expect, test } from 'vitest';
import { lastRuns, profileOrtTrainStep, summarizeOrtTrace, type OrtTraceEvent } from '../src/index.js';

const kernel = (node: string, op: string, dur: number): OrtTraceEvent => ({ cat: 'Node', name: `${node}_kernel_time`, dur, args: { op_name: op } });
const run = (dur: number): OrtTraceEvent => ({ cat: 'Session', name: 'model_run', dur });

describe('ORT profile summary', () => {
  // Two runs of a two-node graph, plus the fence/non-kernel events ORT also writes.
  const trace: OrtTraceEvent[] = [
    { cat: 'Session', name: 'session_initialization', dur: 9000 },
    kernel('conv_a', 'Conv', 3000),
    { cat: 'Node', name: 'conv_a_fence_before', dur: 0, args: { op_name: 'Conv' } },
    kernel('add_b', 'Add', 1000),
    run(5000),
    kernel('conv_a', 'Conv', 5000),
    kernel('add_b', 'Add', 1000),
    run(7000),
  ];

  test('sums kernel time per op type and node, per step', () => {
    const p = summarizeOrtTrace(trace, 2);
    expect(p.runMs).toBe(6);
    expect(p.kernelMs).toBe(5);
    expect(p.byOp).toEqual([
      { op: 'Conv', ms: 4, calls: 1 },
      { op: 'Add', ms: 1, calls: 1 },
    ]);
    expect(p.topNodes[0]).toEqual({ node: 'conv_a', op: 'Conv', ms: 4, calls: 1 });
  });

  test('lastRuns keeps only the last runs (the warm-up dropped)', () => {
    const p = summarizeOrtTrace(lastRuns(trace, 1), 1);
    expect(p.runMs).toBe(7);
    expect(p.byOp.find((o) => o.op === 'Conv')?.ms).toBe(5);
    expect(() => lastRuns(trace, 3)).toThrow(/2 runs in the trace, 3 asked for/);
  });

  test('profiles the real training step: every conv of the step is in the trace', async () => {
    const config = segnetConfig({ preset: 'mini', unpool: 'switch' });
    const p = await profileOrtTrainStep(config, { threads: 1, batch: 1, height: 16, width: 16, warmup: 1, steps: 2 });
    // Forward convs, one input-gradient conv each except the first (the images get no gradient), and the
    // two shift convs (rows of x, columns of dz) of each 3x3 conv's weight gradient.
    const kernels = paramSpecs(config).filter((s) => s.name.endsWith('.kernel'));
    const spatial = kernels.filter((s) => s.shape[0] > 1).length;
    expect(spatial).toBe(kernels.length - 1);
    expect(p.byOp.find((o) => o.op === 'Conv')?.calls).toBe(2 * kernels.length - 1 + 2 * spatial);
    expect(p.byOp.some((o) => o.op === 'MaxUnpool')).toBe(true);
    const summed = p.byOp.reduce((a, o) => a + o.ms, 0);
    expect(summed).toBeCloseTo(p.kernelMs, 6);
    // One thread runs the kernels one after another inside the run.
    expect(p.kernelMs).toBeGreaterThan(0);
    expect(p.kernelMs).toBeLessThanOrEqual(p.runMs);
  }, 60_000);
});
