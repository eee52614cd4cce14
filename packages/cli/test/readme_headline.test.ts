import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { headlineFromRuns } from '@unpool/report';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadExperiment } from '../src/load_experiment.js';

/**
 * The README's Results sentence must be the one the committed runs give: `pnpm exp report ablation` writes
 * it to reports/ablation/headline.md, and this test recomputes it from reports/ablation/runs, so a
 * README edited by hand, a stale headline.md, or runs committed without re-rendering all fail here.
 */
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const HEADLINE = path.join(REPO, 'reports', 'ablation', 'headline.md');
const RUNS = path.join(REPO, 'reports', 'ablation', 'runs');

/** The README's "## Results" section, up to the next second-level heading. */
function resultsSection(readme: string): string {
  const start = readme.indexOf('\n## Results\n');
  if (start < 0) throw new Error('README.md has no "## Results" section');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

describe('the README Results sentence', () => {
  let fromRuns: string | null;
  beforeAll(async () => {
    const { experiment } = await loadExperiment('ablation');
    fromRuns = headlineFromRuns(experiment, experiment.defaultPreset, [RUNS]);
  });

  it('exists: the committed runs give a reproduced gain', () => {
    expect(fromRuns, `no ratio/switch pair with a completed run in ${path.relative(REPO, RUNS)}; commit the runs, then pnpm exp report ablation`).not.toBeNull();
  });

  it('reports/ablation/headline.md, when committed, is the sentence the committed runs give', () => {
    if (!fs.existsSync(HEADLINE)) return; // not rendered since headline.md was added: the runs decide alone
    expect(fs.readFileSync(HEADLINE, 'utf8').trim(), 'reports/ablation/headline.md is stale: run pnpm exp report ablation').toBe(fromRuns);
  });

  it('is quoted verbatim in the README Results section', () => {
    const section = resultsSection(fs.readFileSync(path.join(REPO, 'README.md'), 'utf8'));
    // Markdown may wrap the sentence across lines.
    expect(section.replace(/\s+/g, ' '), `README.md "## Results" must contain: ${fromRuns}`).toContain(fromRuns!);
  });
});
