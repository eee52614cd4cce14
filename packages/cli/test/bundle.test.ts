import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relocateAssetUrls } from '../src/commands/bundle.js';

describe('relocateAssetUrls (exp bundle)', () => {
  let root: string;
  let file: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-assets-'));
    fs.mkdirSync(path.join(root, 'packages/report/src'), { recursive: true });
    fs.mkdirSync(path.join(root, 'packages/report/data'), { recursive: true });
    fs.writeFileSync(path.join(root, 'packages/report/data/table.json'), '{}');
    file = path.join(root, 'packages/report/src/table.ts');
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('points a file-relative URL at <out>/assets/<path in the repository> and records the copy', () => {
    const assets = new Map<string, string>();
    const src = "export const F = fileURLToPath(new URL('../data/table.json', import.meta.url));";
    const out = relocateAssetUrls(src, file, root, assets);
    expect(out).toBe('export const F = fileURLToPath(new URL("./assets/packages/report/data/table.json", import.meta.url));');
    expect([...assets]).toEqual([[path.join(root, 'packages/report/data/table.json'), 'assets/packages/report/data/table.json']]);
  });

  it('leaves comment lines and other URLs alone', () => {
    const assets = new Map<string, string>();
    const src = [
      "// like new URL('../data/missing.json', import.meta.url)",
      " * or new URL('../nothing', import.meta.url) in a doc comment",
      'const here = new URL(import.meta.url);',
    ].join('\n');
    expect(relocateAssetUrls(src, file, root, assets)).toBe(src);
    expect(assets.size).toBe(0);
  });

  it('fails on a URL to a file that does not exist, naming the source and the path', () => {
    const src = "const F = new URL('../data/missing.json', import.meta.url);";
    expect(() => relocateAssetUrls(src, file, root, new Map())).toThrow(/packages\/report\/src\/table\.ts refers to \.\.\/data\/missing\.json/);
  });
});
