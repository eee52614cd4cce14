import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Experiment, ResolvedRun, RunOutcome } from '@unpool/exp';
import { acquireRunLock, readResult, runPaths, RunLockedError } from '@unpool/results';
import { CHECK_FILE, ONNX_FILE } from '@unpool/onnx';
import { describeCheck, onnxCheckForRun } from './onnx_for_run.js';
import { writeReport } from './commands/report.js';

/** Failures found after runs completed (ONNX checks); `exp run` exits non-zero when there are any. */
export const postRunFailures: string[] = [];

/** After each completed run: the ONNX export + onnxruntime cross-check (unless --no-onnx). */
export function afterRunHooks(options: { onnx: boolean; runsRoot: string }) {
  return async (run: ResolvedRun, outcome: RunOutcome): Promise<void> => {
    if (!options.onnx || !outcome.result) return;
    const dir = runPaths(options.runsRoot, run.config.experiment, run.runId).dir;
    // A check that failed is redone (and reported again) on every run of the command, never taken as done.
    if (checkDone(outcome.result.onnx, dir)) return;
    // Under the run's lock: parallel jobs all see a skipped run, and one of them redoes its check.
    let release: () => void;
    try {
      release = acquireRunLock(dir);
    } catch (err) {
      if (err instanceof RunLockedError) return;
      throw err;
    }
    try {
      if (checkDone(readResult(path.join(dir, 'result.json')).onnx, dir)) return;
      const check = await onnxCheckForRun(dir);
      const line = `[${run.runId}] ONNX ${check.passed ? 'ok' : 'CHECK FAILED'}: ${describeCheck(check)}`;
      process.stderr.write(`${line}\n`);
      if (!check.passed) postRunFailures.push(line);
    } catch (err) {
      const line = `[${run.runId}] ONNX export/check failed: ${(err as Error).message}`;
      process.stderr.write(`${line}\n`);
      postRunFailures.push(line);
    } finally {
      release();
    }
  };
}

/** A passing check recorded in result.json, with its files intact. */
function checkDone(onnx: unknown, dir: string): boolean {
  return (onnx as { passed?: unknown } | null | undefined)?.passed === true && onnxFilesIntact(dir);
}

/** After a whole `exp run`: regenerate the experiment's report from its runs. */
export async function finishExperiment(experiment: Experiment, preset: string, runsRoot: string, outDir?: string): Promise<void> {
  await writeReport(experiment, preset, [runsRoot], outDir);
}

/** model.onnx and a readable onnx-check.json: otherwise the check is redone (a crash while writing them). */
function onnxFilesIntact(dir: string): boolean {
  try {
    JSON.parse(fs.readFileSync(path.join(dir, CHECK_FILE), 'utf8'));
    return fs.statSync(path.join(dir, ONNX_FILE)).size > 0;
  } catch {
    return false;
  }
}
