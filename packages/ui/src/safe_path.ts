import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The URL path split into decoded segments, or null when any segment could step out of a folder once
 * decoded: `..`, `.`, an encoded slash or backslash, a NUL, or bad percent-encoding. Done on the raw
 * request path, before any URL normalisation could hide an encoded `..`.
 */
export function urlSegments(rawPath: string): string[] | null {
  const segments: string[] = [];
  for (const raw of rawPath.split('/').slice(1)) {
    let s: string;
    try {
      s = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (s === '.' || s === '..' || /[\\/\0]/.test(s)) return null;
    segments.push(s);
  }
  return segments;
}

/**
 * The real path of a regular file `segments` below `root`, or null when there is none or it lies
 * outside `root` once symlinks are followed (a link inside a run folder pointing at /etc/passwd).
 */
export function fileInside(root: string, segments: readonly string[]): string | null {
  if (segments.length === 0 || segments.some((s) => s === '')) return null;
  try {
    const realRoot = fs.realpathSync(root);
    const real = fs.realpathSync(path.join(root, ...segments));
    if (!real.startsWith(realRoot + path.sep)) return null;
    return fs.statSync(real).isFile() ? real : null;
  } catch {
    return null;
  }
}
