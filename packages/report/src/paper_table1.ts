import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { formatZodIssues } from '@unpool/results';

/**
 * The paper's own Table 1, kept as data (data/paper_table1.json) so the report can show the claimed
 * numbers beside the reproduced ones; a test re-parses the paper's text to check every number.
 */
export const paperTable1Schema = z
  .object({
    source: z.string(),
    units: z.string(),
    model: z.string(),
    interpretation: z.string(),
    groups: z
      .array(
        z.object({
          key: z.string(),
          label: z.string(),
          bayesian: z.boolean(),
          /** Which of the experiment's evaluation sets (data.eval order) stands in for this data set. */
          evalSetIndex: z.number().int().min(0),
        }),
      )
      .min(1),
    columns: z.array(z.object({ group: z.string(), unpool: z.enum(['switch', 'ratio']), label: z.string() })).min(2),
    rows: z.array(z.object({ key: z.string(), label: z.string(), values: z.array(z.number()) })).min(1),
  })
  .superRefine((t, ctx) => {
    const groups = new Set(t.groups.map((g) => g.key));
    t.columns.forEach((c, i) => {
      if (!groups.has(c.group)) ctx.addIssue({ code: 'custom', path: ['columns', i, 'group'], message: `unknown group '${c.group}'` });
    });
    for (const g of t.groups) {
      const unpools = t.columns.filter((c) => c.group === g.key).map((c) => c.unpool).sort();
      if (unpools.join() !== 'ratio,switch') {
        ctx.addIssue({ code: 'custom', path: ['groups'], message: `group '${g.key}' needs exactly one switch and one ratio column, has [${unpools.join(', ')}]` });
      }
    }
    t.rows.forEach((r, i) => {
      if (r.values.length !== t.columns.length) {
        ctx.addIssue({ code: 'custom', path: ['rows', i, 'values'], message: `row '${r.key}' has ${r.values.length} values for ${t.columns.length} columns` });
      }
    });
  });
export type PaperTable1 = z.infer<typeof paperTable1Schema>;

/** data/ sits beside src/ and dist/, so one relative URL serves the source and the built package. */
export const PAPER_TABLE1_FILE = fileURLToPath(new URL('../data/paper_table1.json', import.meta.url));

export function parsePaperTable1(value: unknown, where = PAPER_TABLE1_FILE): PaperTable1 {
  const parsed = paperTable1Schema.safeParse(value);
  if (!parsed.success) throw new Error(`${where} does not match the paper Table 1 schema:\n${formatZodIssues(parsed.error)}`);
  return parsed.data;
}

export function loadPaperTable1(file = PAPER_TABLE1_FILE): PaperTable1 {
  return parsePaperTable1(JSON.parse(fs.readFileSync(file, 'utf8')), file);
}

/** The value of row `key` in the group's switch or ratio column, or null when the paper has no such row. */
export function paperValue(table: PaperTable1, rowKey: string, group: string, unpool: 'switch' | 'ratio'): number | null {
  const row = table.rows.find((r) => r.key === rowKey);
  const col = table.columns.findIndex((c) => c.group === group && c.unpool === unpool);
  if (!row || col < 0) return null;
  return row.values[col];
}
