import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const require = createRequire(import.meta.url);

/**
 * The folder of an installed package. The vega packages' `exports` hide both `package.json` and
 * `build/*.min.js`, so the folder is found by walking Node's lookup paths instead of resolving a subpath.
 */
export function packageDir(name: string): string {
  for (const base of require.resolve.paths(name) ?? []) {
    const dir = path.join(base, name);
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
  }
  throw new Error(`report: package '${name}' is not installed where @unpool/report can find it`);
}

export interface VegaAssets {
  /** Scripts to inline, in load order (vega-lite and vega-embed expect the globals of the ones before). */
  scripts: { name: string; version: string; code: string }[];
}

const BUNDLES: [string, string][] = [
  ['vega', 'build/vega.min.js'],
  ['vega-lite', 'build/vega-lite.min.js'],
  ['vega-embed', 'build/vega-embed.min.js'],
];

export function loadVegaAssets(): VegaAssets {
  return {
    scripts: BUNDLES.map(([name, file]) => {
      const dir = packageDir(name);
      const version = (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
      const full = path.join(dir, file);
      if (!fs.existsSync(full)) throw new Error(`report: ${name}@${version} has no ${file} to inline (looked at ${full})`);
      return { name, version, code: fs.readFileSync(full, 'utf8') };
    }),
  };
}
