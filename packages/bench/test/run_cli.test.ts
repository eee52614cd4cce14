import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCli, type Benchmark, type BenchmarkEntry } from '../src/index.js';

function fake(name: string, seen: unknown[]): BenchmarkEntry {
  const bench = {
    name,
    description: `${name} test benchmark`,
    options: z.object({ n: z.coerce.number().int().min(1).default(1) }),
    async run(options, context) {
      seen.push({ name, options, backend: context.backend });
      context.progress(`${name} running`);
      return { rows: [{ name, n: options.n }], summary: { ok: true }, table: `${name} table` };
    },
  } as Benchmark;
  return { summary: `${name} summary`, load: async () => bench };
}

describe('runCli', () => {
  let dir = '';
  let out: string[] = [];
  let err: string[] = [];
  const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-cli-'));
    out = [];
    err = [];
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('dispatches on the first argument, validates its flags and writes {meta, rows}', async () => {
    const seen: unknown[] = [];
    const registry = { a: fake('a', seen), b: fake('b', seen) };
    const file = join(dir, 'a.json');
    expect(await runCli(['a', '--out', file, '--backend', 'cpu', '--n', '3'], registry, io)).toBe(0);
    expect(seen).toEqual([{ name: 'a', options: { n: 3 }, backend: 'cpu' }]);
    const doc = JSON.parse(await readFile(file, 'utf8'));
    expect(doc.benchmark).toBe('a');
    expect(doc.rows).toEqual([{ name: 'a', n: 3 }]);
    expect(doc.meta.backend.name).toBe('cpu');
    expect(typeof doc.meta.cpuModel).toBe('string');
    expect(out.join('\n')).toContain('a table');
    expect(err).toContain('a running');
  });

  it('runs every benchmark for `all` into one file', async () => {
    const seen: unknown[] = [];
    const registry = { a: fake('a', seen), b: fake('b', seen) };
    const file = join(dir, 'all.json');
    expect(await runCli(['all', '--out', file, '--backend', 'cpu'], registry, io)).toBe(0);
    const doc = JSON.parse(await readFile(file, 'utf8'));
    expect(doc.results.map((r: { benchmark: string }) => r.benchmark)).toEqual(['a', 'b']);
  });

  it('rejects unknown benchmarks and flags and bad values before running anything', async () => {
    const seen: unknown[] = [];
    const registry = { a: fake('a', seen) };
    const file = join(dir, 'x.json');
    await expect(runCli(['nope', '--out', file], registry, io)).rejects.toThrow("bench: unknown benchmark 'nope' (expected one of a, all)");
    await expect(runCli(['toString', '--out', file], registry, io)).rejects.toThrow(/unknown benchmark 'toString'/);
    await expect(runCli(['a', '--out', file, '--repz', '2'], registry, io)).rejects.toThrow(/unknown flag\(s\) --repz for 'a'/);
    await expect(runCli(['a', '--out', file, '--n', '0'], registry, io)).rejects.toThrow(/^bench a: --n: /);
    await expect(runCli(['a', '--out', file, '--backend', 'gpu'], registry, io)).rejects.toThrow(/^bench: --backend: /);
    await expect(runCli(['a', '--backend', 'cpu'], registry, io)).rejects.toThrow(/^bench: --out: /);
    expect(seen).toEqual([]);
  });
});
