import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeReport } from '../src/commands/report.js';
import { loadExperiment } from '../src/load_experiment.js';

/** `exp report` on the real experiment files, into temp folders (the committed reports stay untouched). */
describe('exp report: the sweep page and the ablation notes', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'unpool-cli-report-'));
  const empty = path.join(tmp, 'no-runs');
  fs.mkdirSync(empty);
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('renders the sweep as one page with a row per setting of experiments/sweep.ts', async () => {
    const { experiment } = await loadExperiment('sweep');
    const files = await writeReport(experiment, 'screen', [empty], path.join(tmp, 'sweep'));
    expect(files.map((f) => path.basename(f))).toEqual(['index.html']);
    const page = fs.readFileSync(files[0], 'utf8');
    const settings = new Set(experiment.variants.map((v) => JSON.stringify(v.overrides)));
    const table = page.slice(page.indexOf('id="sweep-cells"'), page.indexOf('id="sweep-ranking"'));
    expect((table.match(/<tr data-setting=/g) ?? []).length).toBe(settings.size);
  });

  it('gives the ablation page its training setting, the sweep link and headline.md', async () => {
    const { experiment } = await loadExperiment('ablation');
    const out = path.join(tmp, 'ablation');
    const files = await writeReport(experiment, experiment.defaultPreset, [empty], out);
    const page = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    expect(page).toMatch(/id="training-setting">.*href="[^"]*reports\/sweep\/index.html"/);
    expect(files.map((f) => path.basename(f))).toContain('headline.md');
  });
});
