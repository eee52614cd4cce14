import type { EvalScores, Experiment, RunResult } from '@unpool/results';
import { CLASS_NAMES, classLabel } from './class_names.js';
import { paperValue, type PaperTable1 } from './paper_table1.js';
import type { RunSlot } from './run_slots.js';
import { better, deltaCell, variantCell, type DeltaCell, type VariantCell } from './variant_cell.js';
import { variantGroups } from './variant_groups.js';
import { pairedGain, type PairedGain } from './paired_gain.js';

/**
 * Table 1 as a model that the HTML, Markdown and CSV writers all render, so they cannot disagree.
 * IoU in percent.
 */

export type Table1RowKind = 'class' | 'void' | 'average' | 'miou19';

export interface Table1Row {
  key: string;
  label: string;
  kind: Table1RowKind;
}

export type Table1Column =
  | { kind: 'variant'; key: string; source: 'ours'; set: string; group: string; variant: string; header: string; title: string; pairSide: 'switch' | 'ratio' | null }
  | { kind: 'delta'; key: string; source: 'ours'; set: string; group: string; header: string; title: string; switchVariant: string; ratioVariant: string }
  | { kind: 'paper'; key: string; source: 'paper'; set: string; group: string; header: string; title: string; paperGroup: string; unpool: 'switch' | 'ratio' }
  | { kind: 'paperDelta'; key: string; source: 'paper'; set: string; group: string; header: string; title: string; paperGroup: string };

export type Table1Cell =
  | { kind: 'variant'; cell: VariantCell; bold: boolean }
  | { kind: 'delta'; delta: DeltaCell }
  | { kind: 'paper'; value: number | null; bold: boolean }
  | { kind: 'paperDelta'; value: number | null };

/** Top header level: an evaluation set of ours, or the paper. */
export interface Table1Band {
  key: string;
  label: string;
  source: 'ours' | 'paper';
  /** Second header level within the band, with the number of columns each spans. */
  groups: { label: string; span: number }[];
}

/** The headline: the gain in the Average row the paper claims vs the one reproduced. */
export interface Table1Gain {
  paperGroup: string;
  paperLabel: string;
  paperSwitch: number | null;
  paperRatio: number | null;
  set: string;
  setLabel: string;
  pairLabel: string;
  switchCell: VariantCell;
  ratioCell: VariantCell;
  delta: DeltaCell;
  /** Mean of the per-seed differences ratio - switch with its 95% t interval (null without a common seed). */
  paired: PairedGain | null;
  /** Whether this pair uses MC dropout. */
  bayesian: boolean;
}

export interface Table1 {
  rows: Table1Row[];
  columns: Table1Column[];
  bands: Table1Band[];
  /** cells[row][column], aligned with `rows` and `columns`. */
  cells: Table1Cell[][];
  gains: Table1Gain[];
  /** Seeds each variant is expected to have (from the grid). */
  seedsPerVariant: Record<string, number>;
  /** Seeds each variant has completed (the n of its cells; a quantity undefined in a run lowers it there). */
  completedSeeds: Record<string, number>;
}

export const TABLE1_ROWS: readonly Table1Row[] = [
  ...CLASS_NAMES.map((name): Table1Row => ({ key: name, label: classLabel(name), kind: 'class' })),
  { key: 'void', label: 'Void', kind: 'void' },
  { key: 'average', label: 'Average (20 rows, paper)', kind: 'average' },
  { key: 'miou19', label: 'mIoU (19 classes, ours)', kind: 'miou19' },
];

/** The number of a row in one evaluation's scores (fractions). */
export function rowValue(scores: EvalScores, row: Table1Row): number | null {
  switch (row.kind) {
    case 'class':
      return scores.iou[CLASS_NAMES.indexOf(row.key)];
    case 'void':
      return scores.iouVoid;
    case 'average':
      return scores.miou20Paper;
    case 'miou19':
      return scores.miou;
  }
}

function pickRow(set: string, row: Table1Row) {
  return (result: RunResult): number | null | undefined => {
    const scores = result.evals[set];
    return scores === undefined ? undefined : rowValue(scores, row);
  };
}

export function buildTable1(experiment: Experiment, slots: readonly RunSlot[], paper: PaperTable1): Table1 {
  const groups = variantGroups(experiment.variants);
  const columns: Table1Column[] = [];
  const bands: Table1Band[] = [];
  for (const e of experiment.data.eval) {
    const band: Table1Band = { key: e.name, label: e.label, source: 'ours', groups: [] };
    for (const g of groups) {
      if (g.kind === 'pair') {
        const group = g.label;
        columns.push(
          { kind: 'variant', key: `${e.name}/${g.switch.name}`, source: 'ours', set: e.name, group, variant: g.switch.name, header: 'switch', title: g.switch.label, pairSide: 'switch' },
          { kind: 'variant', key: `${e.name}/${g.ratio.name}`, source: 'ours', set: e.name, group, variant: g.ratio.name, header: 'ratio', title: g.ratio.label, pairSide: 'ratio' },
          { kind: 'delta', key: `${e.name}/${g.ratio.name}-minus-${g.switch.name}`, source: 'ours', set: e.name, group, header: 'Δ', title: `${g.ratio.name} − ${g.switch.name}`, switchVariant: g.switch.name, ratioVariant: g.ratio.name },
        );
        band.groups.push({ label: group, span: 3 });
      } else {
        columns.push({ kind: 'variant', key: `${e.name}/${g.variant.name}`, source: 'ours', set: e.name, group: 'control', variant: g.variant.name, header: g.variant.name, title: g.variant.label, pairSide: null });
        band.groups.push({ label: 'control', span: 1 });
      }
    }
    bands.push(mergeAdjacent(band));
  }
  const paperBand: Table1Band = { key: 'paper', label: "Paper's Table 1 (claimed)", source: 'paper', groups: [] };
  for (const pg of paper.groups) {
    const set = experiment.data.eval[pg.evalSetIndex]?.name ?? '';
    const colOf = (unpool: 'switch' | 'ratio') => paper.columns.find((c) => c.group === pg.key && c.unpool === unpool)!;
    columns.push(
      { kind: 'paper', key: `paper/${pg.key}/switch`, source: 'paper', set, group: pg.label, header: colOf('switch').label, title: `paper, ${pg.label}, switch unpooling`, paperGroup: pg.key, unpool: 'switch' },
      { kind: 'paper', key: `paper/${pg.key}/ratio`, source: 'paper', set, group: pg.label, header: colOf('ratio').label, title: `paper, ${pg.label}, ratio unpooling`, paperGroup: pg.key, unpool: 'ratio' },
      { kind: 'paperDelta', key: `paper/${pg.key}/delta`, source: 'paper', set, group: pg.label, header: 'Δ', title: `paper, ${pg.label}, ratio − baseline`, paperGroup: pg.key },
    );
    paperBand.groups.push({ label: pg.label, span: 3 });
  }
  bands.push(paperBand);

  const cells = TABLE1_ROWS.map((row) => {
    const byKey = new Map<string, VariantCell>();
    const cellOf = (set: string, variant: string): VariantCell => {
      const k = `${set}/${variant}`;
      if (!byKey.has(k)) byKey.set(k, variantCell(slots, variant, pickRow(set, row), 100));
      return byKey.get(k)!;
    };
    return columns.map((col): Table1Cell => {
      switch (col.kind) {
        case 'variant': {
          const cell = cellOf(col.set, col.variant);
          let bold = false;
          if (col.pairSide) {
            const pair = groups.find((g) => g.kind === 'pair' && (g.switch.name === col.variant || g.ratio.name === col.variant));
            if (pair?.kind === 'pair') {
              const b = better(cellOf(col.set, pair.switch.name), cellOf(col.set, pair.ratio.name));
              bold = (b === 'first' && col.pairSide === 'switch') || (b === 'second' && col.pairSide === 'ratio');
            }
          }
          return { kind: 'variant', cell, bold };
        }
        case 'delta':
          return { kind: 'delta', delta: deltaCell(cellOf(col.set, col.switchVariant), cellOf(col.set, col.ratioVariant)) };
        case 'paper': {
          const value = paperValue(paper, row.key, col.paperGroup, col.unpool);
          const other = paperValue(paper, row.key, col.paperGroup, col.unpool === 'switch' ? 'ratio' : 'switch');
          return { kind: 'paper', value, bold: value !== null && other !== null && value > other };
        }
        case 'paperDelta': {
          const sw = paperValue(paper, row.key, col.paperGroup, 'switch');
          const ra = paperValue(paper, row.key, col.paperGroup, 'ratio');
          return { kind: 'paperDelta', value: sw !== null && ra !== null ? ra - sw : null };
        }
      }
    });
  });

  const average = TABLE1_ROWS.find((r) => r.kind === 'average')!;
  const gains: Table1Gain[] = [];
  for (const pg of paper.groups) {
    const e = experiment.data.eval[pg.evalSetIndex];
    const pair = groups.find((g) => g.kind === 'pair' && g.bayesian === pg.bayesian);
    if (!e || pair?.kind !== 'pair') continue;
    const switchCell = variantCell(slots, pair.switch.name, pickRow(e.name, average), 100);
    const ratioCell = variantCell(slots, pair.ratio.name, pickRow(e.name, average), 100);
    gains.push({
      paperGroup: pg.key,
      paperLabel: pg.label,
      paperSwitch: paperValue(paper, 'average', pg.key, 'switch'),
      paperRatio: paperValue(paper, 'average', pg.key, 'ratio'),
      set: e.name,
      setLabel: e.label,
      pairLabel: pair.label,
      switchCell,
      ratioCell,
      delta: deltaCell(switchCell, ratioCell),
      paired: pairedGain(switchCell, ratioCell),
      bayesian: pg.bayesian,
    });
  }

  const seedsPerVariant: Record<string, number> = {};
  const completedSeeds: Record<string, number> = {};
  for (const s of slots) {
    seedsPerVariant[s.variant.name] = (seedsPerVariant[s.variant.name] ?? 0) + 1;
    completedSeeds[s.variant.name] = (completedSeeds[s.variant.name] ?? 0) + (s.status === 'completed' && s.run?.result ? 1 : 0);
  }
  return { rows: [...TABLE1_ROWS], columns, bands, cells, gains, seedsPerVariant, completedSeeds };
}

/** "n (completed of expected seeds): switch 3/3, ratio 2/3": the n behind every cell of a variant. */
export function seedCountText(table: Table1): string {
  const parts = Object.entries(table.seedsPerVariant).map(([v, expected]) => `${v} ${table.completedSeeds[v] ?? 0}/${expected}`);
  return `n (completed of expected seeds): ${parts.join(', ')}.`;
}

/** Adjacent controls share one "control" header cell. */
function mergeAdjacent(band: Table1Band): Table1Band {
  const groups: Table1Band['groups'] = [];
  for (const g of band.groups) {
    const last = groups[groups.length - 1];
    if (last && last.label === g.label && g.label === 'control') last.span += g.span;
    else groups.push({ ...g });
  }
  return { ...band, groups };
}
