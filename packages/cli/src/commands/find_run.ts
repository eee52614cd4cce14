import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadRun, type LoadedRun } from '@unpool/results';
import { UsageError } from '../args.js';

/** Finds a run by id (or a unique prefix) in any experiment under the runs root, or by folder path. */
export function findRun(root: string, id: string): LoadedRun {
  if (fs.existsSync(path.join(id, 'config.json'))) return loadRun(path.resolve(id));
  const matches: string[] = [];
  if (fs.existsSync(root)) {
    for (const e of fs.readdirSync(root, { withFileTypes: true })) {
      if (!e.isDirectory() || e.name.startsWith('.')) continue;
      for (const r of fs.readdirSync(path.join(root, e.name), { withFileTypes: true })) {
        if (r.isDirectory() && r.name.startsWith(id)) matches.push(path.join(root, e.name, r.name));
      }
    }
  }
  const exact = matches.filter((m) => path.basename(m) === id);
  const chosen = exact.length === 1 ? exact : matches;
  if (chosen.length === 0) throw new UsageError(`no run '${id}' under ${root}`);
  if (chosen.length > 1) throw new UsageError(`run id '${id}' is ambiguous: ${chosen.map((m) => path.relative(root, m)).join(', ')}`);
  return loadRun(chosen[0]);
}
