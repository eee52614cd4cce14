import { listRuns, resolveRuns, type Experiment } from '@unpool/results';
import { matchRuns, type FoundRun, type MatchedRuns } from './run_slots.js';

/** Reads every run folder of the experiment under the runs roots (in search order) and matches the grid. */
export function collectRuns(experiment: Experiment, preset: string, runsRoots: readonly string[]): MatchedRuns {
  const expected = resolveRuns(experiment, { preset });
  const found: FoundRun[] = runsRoots.flatMap((root) => listRuns(root, experiment.name).map((run) => ({ run, root })));
  return matchRuns(expected, found);
}
