import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeJsonAtomic } from '../src/index.js';

describe('writeJsonAtomic', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('creates missing folders, replaces the file whole and leaves no temp file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-json-'));
    const file = join(dir, 'sub', 'out.json');
    await writeJsonAtomic(file, { a: 1 });
    await writeJsonAtomic(file, { b: [2, 3] });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ b: [2, 3] });
    expect(await readdir(join(dir, 'sub'))).toEqual(['out.json']);
  });
});
