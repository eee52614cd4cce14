import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPaperTable1, paperValue, parsePaperTable1, type PaperTable1 } from '../src/index.js';

const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PAPER_TXT = process.env.UNPOOL_PAPER_TXT ?? path.resolve(PACKAGE_DIR, '../../../shared/docs/paper-ratio-unpooling.txt');
const NO_PAPER_TEXT = process.env.UNPOOL_NO_PAPER_TEXT === '1';

/** Table 1 rows of the paper's text: a label followed by six numbers, from the caption to the Average row. */
function parsePaperText(text: string): { label: string; values: number[] }[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^Table 1\./.test(l.trim()));
  if (start < 0) throw new Error(`${PAPER_TXT}: no line starting with 'Table 1.'`);
  const rows: { label: string; values: number[] }[] = [];
  for (const line of lines.slice(start + 1)) {
    const m = /^([A-Za-z][A-Za-z ]*?)\s+((?:\d+\.\d+\s+){5}\d+\.\d+)\s*$/.exec(line.trim());
    if (m) rows.push({ label: m[1], values: m[2].split(/\s+/).map(Number) });
    if (m && m[1] === 'Average') break;
  }
  return rows;
}

describe("the paper's Table 1 data file", () => {
  const table: PaperTable1 = loadPaperTable1();

  it('matches every number of Table 1 in the paper text', () => {
    if (!fs.existsSync(PAPER_TXT)) {
      if (NO_PAPER_TEXT) return;
      throw new Error(
        `The paper text is not at ${PAPER_TXT}. It lives in shared/docs/ beside the checkout (CI: ../shared); ` +
          'set UNPOOL_PAPER_TXT to its path, or UNPOOL_NO_PAPER_TEXT=1 to check data/paper_table1.json without it.',
      );
    }
    const parsed = parsePaperText(fs.readFileSync(PAPER_TXT, 'utf8'));
    expect(parsed.map((r) => r.label)).toEqual(table.rows.map((r) => r.label));
    expect(parsed).toHaveLength(21);
    parsed.forEach((r, i) => expect(table.rows[i].values, r.label).toEqual(r.values));
  });

  it('has an Average row that is the mean of the 20 rows above it in every column', () => {
    const body = table.rows.filter((r) => r.key !== 'average');
    expect(body).toHaveLength(20);
    const avg = table.rows.find((r) => r.key === 'average')!;
    avg.values.forEach((v, j) => {
      const mean = body.reduce((a, r) => a + r.values[j], 0) / 20;
      expect(Math.abs(mean - v)).toBeLessThanOrEqual(0.005 + 1e-9);
    });
  });

  it("is read consistently with the paper's own statements about its columns", () => {
    const gain = (g: string) => paperValue(table, 'average', g, 'ratio')! - paperValue(table, 'average', g, 'switch')!;
    // "an increase in overall IoU of just under 8 percentage points"
    expect(gain('cityscapes')).toBeGreaterThan(7.5);
    expect(gain('cityscapes')).toBeLessThan(8);
    // "reduced slightly when applied to the Bayesian network to 6 percentage points"
    expect(gain('bayesian-cityscapes')).toBeGreaterThanOrEqual(6);
    expect(gain('bayesian-cityscapes')).toBeLessThan(7);
    expect(gain('bayesian-cityscapes')).toBeLessThan(gain('cityscapes'));
    // "Bayesian inference ... improves the performance of both networks slightly"
    for (const u of ['switch', 'ratio'] as const) {
      expect(paperValue(table, 'average', 'bayesian-cityscapes', u)!).toBeGreaterThan(paperValue(table, 'average', 'cityscapes', u)!);
    }
    // On KITTI "the Sky class losing performance, the only instance of performance loss".
    const losses = table.groups.flatMap((g) =>
      table.rows.filter((r) => paperValue(table, r.key, g.key, 'ratio')! < paperValue(table, r.key, g.key, 'switch')!).map((r) => `${g.key}/${r.key}`),
    );
    expect(losses).toEqual(['kitti/sky']);
    expect(table.groups.find((g) => g.key === 'kitti')).toMatchObject({ bayesian: false, evalSetIndex: 1 });
    expect(table.interpretation.length).toBeGreaterThan(100);
  });

  it('rejects a data file whose rows do not fit its columns', () => {
    const broken = JSON.parse(JSON.stringify(table)) as PaperTable1;
    broken.rows[3].values.pop();
    expect(() => parsePaperTable1(broken, 'broken.json')).toThrow(/broken\.json.*\n.*rows\.3\.values.*'wall' has 5 values for 6 columns/);
  });
});
