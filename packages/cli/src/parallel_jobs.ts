import { spawn } from 'node:child_process';
import * as readline from 'node:readline';
import { selfCommand } from './self_command.js';

/**
 * Runs `count` copies of this CLI on the same grid and runs folder and waits for all of them, so the
 * variants of a grid train side by side on a machine with several cores; the per-run folder locks keep
 * the copies apart. Each child's output lines are forwarded with a `[job i]` prefix. Resolves to the
 * worst exit code.
 */
export async function runParallelJobs(count: number, childArgs: (index: number) => string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const codes = await Promise.all(
    Array.from({ length: count }, (_, i) => {
      const [node, ...self] = selfCommand();
      const child = spawn(node, [...self, ...childArgs(i)], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env,
      });
      const forward = (stream: NodeJS.ReadableStream, out: NodeJS.WriteStream) =>
        readline.createInterface({ input: stream }).on('line', (line) => out.write(`[job ${i}] ${line}\n`));
      forward(child.stdout!, process.stderr);
      forward(child.stderr!, process.stderr);
      return new Promise<number>((resolve) => {
        child.on('error', (err) => {
          process.stderr.write(`[job ${i}] could not start: ${err.message}\n`);
          resolve(1);
        });
        child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
      });
    }),
  );
  return Math.max(0, ...codes);
}
