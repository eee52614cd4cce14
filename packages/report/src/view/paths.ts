import * as path from 'node:path';

/**
 * A path as a page may show it: relative to `base` (the repository root) with forward slashes, and for a
 * path outside it only its last two segments, so no rendered page carries the layout of the machine
 * that rendered it (home folders, temp folders, user names).
 */
export function displayPath(file: string, base: string): string {
  const abs = path.resolve(base, file);
  const rel = path.relative(path.resolve(base), abs);
  if (rel === '') return '.';
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  const parts = abs.split(path.sep).filter(Boolean);
  return `…/${parts.slice(-2).join('/')}`;
}

/** Every absolute path inside `text` that starts with one of `prefixes`, replaced by its display form. */
export function scrubPaths(text: string, base: string, prefixes: readonly string[]): string {
  let out = text;
  for (const p of prefixes.filter((x) => x.length > 1).sort((a, b) => b.length - a.length)) {
    const re = new RegExp(`${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^\\s'"\`:,;)<>]*`, 'g');
    out = out.replace(re, (m) => displayPath(m, base));
  }
  return out;
}
