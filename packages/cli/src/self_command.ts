/**
 * The command line that started this CLI (node, its loader flags such as tsx's, the entry script), so a
 * child process or a batch job runs the same code the same way: from the TypeScript sources in a checkout
 * or from the `exp bundle` file.
 */
export function selfCommand(): string[] {
  return [process.execPath, ...process.execArgv, process.argv[1]];
}
