import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport, type RenderReportResult } from '../src/index.js';
import { writeBenchFile } from './bench_fixture.js';
import { tempRoot, threeSeedScenario, type Scenario } from './fixture_runs.js';

describe('renderReport', () => {
  let s: Scenario;
  let out: string;
  let result: RenderReportResult;
  let html: string;
  beforeAll(async () => {
    s = threeSeedScenario();
    out = tempRoot('unpool-report-out-');
    const broken = path.join(out, 'not-bench.json');
    fs.writeFileSync(broken, '{"rows": 3}');
    result = await renderReport({
      experiment: s.experiment,
      preset: s.preset,
      runsRoots: [path.join(s.root, 'nowhere'), s.root],
      outDir: path.join(out, 'report'),
      benchFiles: [writeBenchFile(out), broken],
      now: new Date('2026-11-20T12:00:00Z'),
    });
    html = fs.readFileSync(path.join(out, 'report', 'index.html'), 'utf8');
  });
  afterAll(() => {
    fs.rmSync(s.root, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('writes the page, both table files and one SVG per chart, and no temp files', () => {
    const names = result.files.map((f) => path.basename(f)).sort();
    expect(names).toEqual(
      ['boundary-fscore.svg', 'class-gain-synth-city.svg', 'class-gain-synth-kitti.svg', 'fig3-validation-miou.svg', 'headline.md', 'index.html', 'table1.csv', 'table1.md', 'training-loss.svg'].sort(),
    );
    expect(fs.readdirSync(path.join(out, 'report')).sort()).toEqual(names);
  });

  it('renders charts to SVG with marks', () => {
    const svg = fs.readFileSync(path.join(out, 'report', 'fig3-validation-miou.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toMatch(/class="mark-line[^"]*"/);
    expect(svg).toMatch(/<path[^>]+d="M/);
    expect(svg).toContain('SegNet, ratio unpooling');
  });

  it('inlines vega, vega-lite and vega-embed and loads nothing from the network', () => {
    for (const lib of ['vega@', 'vega-lite@', 'vega-embed@']) expect(html).toContain(`data-lib="${lib}`);
    // Markup outside the inlined scripts (which contain HTML-like strings of their own).
    const markup = html.replace(/<script[\s\S]*?<\/script>/g, '<script></script>');
    expect(/<script[^>]+src=/i.test(markup)).toBe(false);
    expect(/<link[^>]+href=/i.test(markup)).toBe(false);
    expect(/<img[^>]+src="(?!data:)/i.test(markup)).toBe(false);
    expect((markup.match(/<img /g) ?? []).length).toBeGreaterThan(0);
  });

  it('embeds the qualitative images chosen by the rule', () => {
    // switch [0.3, 0.5, 0.4, 0.6] vs ratio [0.5, 0.45, 0.4, 0.9]: largest gain image 3, median image 2, smallest image 1.
    const fig = html.slice(html.indexOf('<figure class="qualitative" data-set="synth-city"'));
    const first = fig.slice(0, fig.indexOf('</figure>'));
    const ids = [...first.matchAll(/image <span class="mono">([^<]+)<\/span>/g)].map((m) => m[1]);
    expect(ids).toEqual(['synth-city/3', 'synth-city/2', 'synth-city/1']);
    expect((first.match(/<img src="data:image\/png;base64,/g) ?? []).length).toBe(3 * 4);
    // Bayesian pair: bayes-switch only completed seed 0, so its figures come from seed 0, with entropy maps.
    expect(html).toMatch(/Bayesian SegNet on synth-city val, seed 0/);
    expect(html).toContain('bayes-ratio uncertainty');
  });

  it('lists missing, failed, diverged and stray runs in the provenance table', () => {
    const statuses = [...html.matchAll(/<tr data-run="([^"]+)" data-status="([^"]+)">/g)].map((m) => [m[1].replace(/-[0-9a-f]{8}$/, ''), m[2]]);
    expect(statuses).toContainEqual(['bayes-switch-s2', 'missing']);
    expect(statuses).toContainEqual(['bayes-switch-s1', 'failed']);
    expect(statuses).toContainEqual(['nearest-s1', 'diverged']);
    expect(statuses).toContainEqual(['switch-s7', 'not in grid']);
    expect(statuses.filter(([, st]) => st !== 'not in grid')).toHaveLength(15);
    expect(html).toContain('Error: out of memory in Conv2DBackpropFilter');
  });

  it('shows costs, bench rows, the ONNX record and warns about an unreadable bench file', () => {
    expect(html).toContain('4.00 KiB');
    expect(html).toMatch(/<th class="num" data-key="fwdBwdMs">forward \+ backward \(ms\)<\/th>/);
    expect(html).toMatch(/<th class="num" data-key="repeats">repeats<\/th>/);
    expect(html).toMatch(/<th>argmaxAgreement<\/th>/);
    expect(html).toContain('0.9998');
    expect(result.warnings.some((w) => w.includes('not-bench.json') && w.includes('rows'))).toBe(true);
    expect(result.warnings[0]).toMatch(/^5 of 15 expected runs are not completed/);
  });
});
