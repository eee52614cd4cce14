import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vsPytorchHtml } from '../src/html_vs_pytorch.js';
import { renderReport, type RenderReportResult } from '../src/index.js';
import { groupBenchFiles, orphanRoundsWarning, vsPytorchTable } from '../src/pytorch_table.js';
import { writeBenchFile, writeVsPytorchFiles } from './bench_fixture.js';
import { oneSeedScenario, tempRoot, type Scenario } from './fixture_runs.js';

/** The markup of the section's table, so assertions cannot be satisfied by text elsewhere on the page. */
function sectionOf(html: string): string {
  const start = html.indexOf('<h3 id="vs-pytorch">');
  if (start < 0) return '';
  return html.slice(start, html.indexOf('<h3>Operator benchmarks</h3>', start));
}

function rowOf(section: string, unpool: string): string[] {
  const row = section.match(new RegExp(`<tr data-unpool="${unpool}">([\\s\\S]*?)</tr>`))?.[1] ?? '';
  return [...row.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) => m[1].replace(/<[^>]+>/g, ''));
}

describe('vs-PyTorch verdict in the report', () => {
  let s: Scenario;
  let out: string;
  let result: RenderReportResult;
  let html: string;
  beforeAll(async () => {
    s = oneSeedScenario();
    out = tempRoot('unpool-report-vs-pytorch-');
    const { verdict, rounds } = writeVsPytorchFiles(out);
    result = await renderReport({
      experiment: s.experiment,
      preset: s.preset,
      runsRoots: [s.root],
      outDir: path.join(out, 'report'),
      // Sorted as the CLI passes the bench folder: rounds before and after the verdict's name.
      benchFiles: [writeBenchFile(out), ...rounds, verdict].sort(),
      now: new Date('2026-11-20T12:00:00Z'),
    });
    html = fs.readFileSync(path.join(out, 'report', 'index.html'), 'utf8');
  });
  afterAll(() => {
    fs.rmSync(s.root, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('renders one row per unpool mode with the numbers of the file and its verdict', () => {
    const section = sectionOf(html);
    expect(section).toContain('CPU training speed vs PyTorch');
    expect(rowOf(section, 'switch')).toEqual(['switch', 'onnxruntime on wasm', '215.4', '158.3', '1.36×', '47.9', '42.7', '1.12×', 'yes', '1.35× · 1.37×']);
    expect(rowOf(section, 'ratio')).toEqual(['ratio', 'onnxruntime on wasm', '265.5', '170.0', '1.56×', '47.6', '42.1', '1.13×', 'no', '1.44× · 1.67×']);
  });

  it('captions the table with the script, torch version, threads, target and the raw round files', () => {
    const section = sectionOf(html);
    expect(section).toContain('bash scripts/bench/vs-pytorch.sh');
    expect(section).toContain('scripts/bench/torch_segnet.py');
    expect(section).toContain('PyTorch 1.13.0a0, 2 threads');
    expect(section).toContain('median over 2 rounds');
    expect(section).toContain('target, 1.50×');
    for (const r of [1, 2]) expect(section).toContain(`<code>vs-pytorch-ours-r${r}.json</code> + <code>vs-pytorch-torch-r${r}.json</code>`);
  });

  it('does not render the raw round files as benchmark tables, but still the other bench files', () => {
    expect(html).toContain('<div class="bench-file" data-file="bench-ops.json">');
    expect(html).not.toMatch(/<div class="bench-file" data-file="vs-pytorch/);
    // 987.654 ms is only in the round files.
    expect(html).not.toContain('987.7');
    expect(html).not.toMatch(/<th>trainStepMs<\/th>/);
    expect(result.warnings.filter((w) => w.includes('vs-pytorch'))).toEqual([]);
  });
});

describe('a malformed or missing vs-PyTorch verdict', () => {
  let s: Scenario;
  let out: string;
  let result: RenderReportResult;
  let html: string;
  beforeAll(async () => {
    s = oneSeedScenario();
    out = tempRoot('unpool-report-vs-pytorch-bad-');
    const { verdict } = writeVsPytorchFiles(out);
    const doc = JSON.parse(fs.readFileSync(verdict, 'utf8'));
    doc.rows[1].trainRatio = 'fast';
    fs.writeFileSync(verdict, JSON.stringify(doc));
    result = await renderReport({ experiment: s.experiment, preset: s.preset, runsRoots: [s.root], outDir: path.join(out, 'report'), benchFiles: [verdict] });
    html = fs.readFileSync(path.join(out, 'report', 'index.html'), 'utf8');
  });
  afterAll(() => {
    fs.rmSync(s.root, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('warns naming the file and the bad field, and renders no table from it', () => {
    const warning = result.warnings.find((w) => w.includes('vs-pytorch.json'));
    expect(warning).toMatch(/^vs-pytorch\.json is not a vs-PyTorch verdict/);
    expect(warning).toContain('rows.1.trainRatio');
    const section = sectionOf(html);
    expect(section).toContain('vs-pytorch.json is not a vs-PyTorch verdict');
    expect(section).not.toContain('<table');
  });

  it('warns about an unreadable file instead of crashing', async () => {
    const broken = path.join(out, 'vs-pytorch.json');
    fs.writeFileSync(broken, '{"rows": [');
    const r = await renderReport({ experiment: s.experiment, preset: s.preset, runsRoots: [s.root], outDir: path.join(out, 'report2'), benchFiles: [broken] });
    expect(r.warnings.some((w) => w.startsWith(`${broken}: `) && /JSON/.test(w))).toBe(true);
  });

  it('renders no section without a verdict, and says so when only raw rounds are present', () => {
    const { verdict, rounds } = writeVsPytorchFiles(tempRoot('unpool-report-vs-pytorch-rounds-'));
    expect(groupBenchFiles([...rounds, verdict, '/b/bench-ops.json'])).toEqual({ bench: ['/b/bench-ops.json'], vsPytorch: [verdict], rounds });
    expect(orphanRoundsWarning(groupBenchFiles([...rounds, verdict]))).toBeNull();
    expect(orphanRoundsWarning(groupBenchFiles(rounds))).toMatch(/^vs-pytorch-ours-r1\.json, vs-pytorch-torch-r1\.json, .*without their summary vs-pytorch\.json/);
    expect(orphanRoundsWarning(groupBenchFiles(['/b/bench-ops.json']))).toBeNull();
    expect(vsPytorchHtml([]).value).toBe('');
    fs.rmSync(path.dirname(verdict), { recursive: true, force: true });
  });
});

describe('vsPytorchHtml', () => {
  it('escapes what it inserts from the file', () => {
    const dir = tempRoot('unpool-report-vs-pytorch-esc-');
    const value = JSON.parse(fs.readFileSync(writeVsPytorchFiles(dir).verdict, 'utf8'));
    fs.rmSync(dir, { recursive: true, force: true });
    value.rows[0].unpool = '<b>x</b>';
    value.torch = '1.13 "<script>"';
    const t = vsPytorchTable('v&p.json', value);
    if ('error' in t) throw new Error(t.error);
    const markup = vsPytorchHtml([t]).value;
    expect(markup).not.toContain('<b>x</b>');
    expect(markup).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(markup).toContain('PyTorch 1.13 &quot;&lt;script&gt;&quot;');
    expect(markup).toContain('<code>v&amp;p.json</code>');
  });
});
