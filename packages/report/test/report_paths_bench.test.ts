import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ablation from '../../../experiments/ablation.js';
import { fmtBytes, renderReport } from '../src/index.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const COMMITTED = path.join(REPO_ROOT, 'reports', 'ablation');

/** The page without its inlined library code, which has strings of its own. */
function markup(page: string): string {
  return page.replace(/<script[\s\S]*?<\/script>/g, '<script></script>');
}

/**
 * The report rendered from the committed runs and bench JSON into a temp folder, read as a person would:
 * the bench section must not show sample arrays, raw JSON or this machine's paths.
 */
describe('the report of the committed results', () => {
  let out: string;
  let page: string;
  beforeAll(async () => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'unpool-report-committed-'));
    const benchDir = path.join(COMMITTED, 'bench');
    const benchFiles = fs.readdirSync(benchDir).filter((f) => f.endsWith('.json')).map((f) => path.join(benchDir, f));
    // A file outside the repository, with a broken field, so a warning naming it is rendered too.
    const stray = path.join(out, 'stray-bench.json');
    fs.writeFileSync(stray, '{"rows": 1}');
    await renderReport({
      experiment: ablation,
      preset: 'cpu',
      runsRoots: [path.join(out, 'no-runs-here'), path.join(COMMITTED, 'runs')],
      outDir: out,
      benchFiles: [...benchFiles, stray],
      pathBase: REPO_ROOT,
      now: new Date('2026-11-30T00:00:00Z'),
    });
    page = markup(fs.readFileSync(path.join(out, 'index.html'), 'utf8'));
  });
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it('shows no absolute path of the machine that rendered it', () => {
    for (const dir of [REPO_ROOT, out, os.tmpdir() + '/', os.homedir() + '/']) expect(page).not.toContain(dir);
    expect(page).toContain('reports/ablation/runs');
    expect(page).toContain('stray-bench.json');
  });

  it('shows no raw sample arrays or JSON in the bench section', () => {
    const bench = page.slice(page.indexOf('<h3>Operator benchmarks</h3>'), page.indexOf('<h3>ONNX cross-check</h3>'));
    expect(bench.length).toBeGreaterThan(1000);
    // Five or more numbers in brackets is a sample array; a JSON object in a cell shows as {&quot;.
    expect(bench).not.toMatch(/\[\s*-?\d+(\.\d+)?(\s*,\s*-?\d+(\.\d+)?){4,}\s*\]/);
    expect(bench).not.toMatch(/\{&quot;|&quot;:/);
    // No number with more than 4 decimals (the samples had 12+).
    expect(bench).not.toMatch(/\d\.\d{5,}/);
    // No raw keys as headers, but labelled columns with units.
    expect(bench).not.toMatch(/<th[^>]*>(fwdBwdMs|profile\.topKernels|trainStepMs|peakBytes)</);
    expect(bench).toContain('>forward + backward (ms)<');
    expect(bench).toContain('>peak memory<');
    expect(bench).toMatch(/9\.2\d GiB/);
    expect(bench).not.toContain('9927190944');
  });

  it('puts each file\'s own headline ratios before its rows and folds the metadata', () => {
    const ops = page.slice(page.indexOf('data-file="wasm-ops.json"'));
    const opsBlock = ops.slice(0, ops.indexOf('</div>\n<div class="bench-file"'));
    expect(opsBlock.indexOf('-headline"')).toBeGreaterThan(-1);
    expect(opsBlock.indexOf('-headline"')).toBeLessThan(opsBlock.search(/id="bench-\d+"/));
    // wasm-ops.json's summary: ratio over switch, forward 0.688... at the first shape.
    expect(opsBlock).toContain('0.69×');
    const details = opsBlock.slice(opsBlock.indexOf('<details class="bench-meta">'));
    expect(details).toContain('AMD EPYC');
    expect(opsBlock.indexOf('AMD EPYC')).toBeGreaterThan(opsBlock.indexOf('<details class="bench-meta">'));
  });

  it('shows the inference-time unpooling memory the runs recorded', () => {
    const costs = page.slice(page.indexOf('id="costs-table"'), page.indexOf('</table>', page.indexOf('id="costs-table"')));
    expect(costs).toContain('unpooling memory at inference / image');
    // Each variant's cell is the value its result.json recorded, in binary units.
    const runsDir = path.join(COMMITTED, 'runs', 'ablation');
    for (const id of fs.readdirSync(runsDir)) {
      const result = JSON.parse(fs.readFileSync(path.join(runsDir, id, 'result.json'), 'utf8'));
      const row = costs.slice(costs.indexOf(`<tr><th>${result.variant}</th>`));
      const cells = [...row.slice(0, row.indexOf('</tr>')).matchAll(/<td class="num[^"]*">(.*?)<\/td>/g)].map((m) => m[1].replace(/<[^>]+>/g, ''));
      // runs, batch, MC samples, parameters, unpooling bytes kept, unpooling memory at inference, ...
      expect(cells[5], id).toBe(fmtBytes(result.costs.unpoolInferenceBytesPerImage));
    }
  });
});
