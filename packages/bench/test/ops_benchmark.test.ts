import { selectBackend } from '@unpool/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { BENCHMARKS, formatOpsTables, keptBytes, OPS_SHAPES, runOps, summarizeOps } from '../src/index.js';

describe('ops benchmark', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('is registered as `ops` and lists the five VGG16 and four mini shapes from the task', async () => {
    expect(Object.keys(BENCHMARKS)).toContain('ops');
    expect((await BENCHMARKS.ops.load()).name).toBe('ops');
    expect(OPS_SHAPES.vgg16.map((s) => s.join('x'))).toEqual(['8x128x384x64', '8x64x192x128', '8x32x96x256', '8x16x48x512', '8x8x24x512']);
    expect(OPS_SHAPES.mini.map((s) => s.join('x'))).toEqual(['8x64x192x16', '8x32x96x32', '8x16x48x64', '8x8x24x64']);
  });

  it('writes one row per (op, shape, backend) with both timings and the kept bytes; --only filters sets', async () => {
    const lines: string[] = [];
    const shapes = { mini: [[2, 4, 6, 3]] as [number, number, number, number][], vgg16: [[1, 2, 2, 1]] as [number, number, number, number][] };
    const rows = await runOps({ reps: 2, warmup: 0, only: 'mini' }, { backend: 'cpu', progress: (l) => lines.push(l) }, shapes);
    expect(rows.map((r) => [r.op, r.set, r.shape.join('x'), r.backend])).toEqual([
      ['switch', 'mini', '2x4x6x3', 'cpu'],
      ['ratio', 'mini', '2x4x6x3', 'cpu'],
      ['nearest', 'mini', '2x4x6x3', 'cpu'],
    ]);
    for (const r of rows) {
      expect(r.fwdSamplesMs).toHaveLength(2);
      expect(r.fwdBwdSamplesMs).toHaveLength(2);
      expect([r.fwdMs, r.fwdBwdMs].every(Number.isFinite)).toBe(true);
      expect(r.fwdMinMs).toBe(Math.min(...r.fwdSamplesMs));
      expect(r.fwdBwdMinMs).toBe(Math.min(...r.fwdBwdSamplesMs));
      expect(r.bytesKeptForBackward).toBe(keptBytes(r.op, [2, 4, 6, 3]).bytesKeptForBackward);
    }
    expect(lines[0]).toBe('[ops 1/3] mini [2,4,6,3] switch on cpu');
    const summary = summarizeOps(rows);
    expect(summary).toHaveLength(1);
    expect(summary[0].ratioOverSwitch.fwd).toBeCloseTo(rows[1].fwdMs / rows[0].fwdMs, 10);
    expect(summary[0].nearestOverSwitch.fwdBwdMin).toBeCloseTo(rows[2].fwdBwdMinMs / rows[0].fwdBwdMinMs, 10);
    const table = formatOpsTables(rows, summary);
    expect(table).toContain('ratio/switch fwd+bwd');
    expect(table.split('\n').filter((l) => l.startsWith('mini'))).toHaveLength(3);
  });
});
