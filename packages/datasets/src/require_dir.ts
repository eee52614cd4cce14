import { existsSync, statSync } from 'node:fs';

/** Throws an error naming the data set, the role of the folder and its path when it is missing. */
export function requireDir(dataset: string, path: string, what: string): void {
  if (!existsSync(path)) throw new Error(`${dataset}: ${what} '${path}' does not exist`);
  if (!statSync(path).isDirectory()) throw new Error(`${dataset}: ${what} '${path}' is not a directory`);
}
