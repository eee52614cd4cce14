import type { Experiment } from '@unpool/results';
import type { TopLevelSpec } from 'vega-lite';
import { classDeltaSpec, curveSpec, scoreBarSpec, variantStyle, type ClassDeltaDatum, type ScoreDatum } from './chart_specs.js';
import { lossCurve, validationCurve, type Curve } from './curves.js';
import type { MetricTable } from './metric_table.js';
import type { PaperTable1 } from './paper_table1.js';
import type { RunSlot } from './run_slots.js';
import type { Table1 } from './table1.js';

export interface ChartEntry {
  /** File stem of the SVG, and the element id in the HTML. */
  id: string;
  title: string;
  caption: string;
  spec: TopLevelSpec;
}

export interface ReportCharts {
  charts: ChartEntry[];
  validation: Curve;
  loss: Curve;
}

function excludedNote(curve: Curve): string {
  if (curve.excluded.length === 0) return '';
  return ` Left out (stopped abnormally): ${curve.excluded.map((e) => `${e.variant} seed ${e.seed} (${e.status})`).join(', ')}.`;
}

/** Every chart of the report, as Vega-Lite specs with their data inlined. */
export function reportCharts(experiment: Experiment, slots: readonly RunSlot[], table1: Table1, paper: PaperTable1, boundary: MetricTable): ReportCharts {
  const style = variantStyle(experiment.variants);
  const first = experiment.data.eval[0];
  const validation = validationCurve(slots, first.name);
  const loss = lossCurve(slots);
  const charts: ChartEntry[] = [
    {
      id: 'fig3-validation-miou',
      title: `Fig. 3: validation mIoU during training (${first.name})`,
      caption:
        `Mean IoU over the 19 classes on the first images of ${first.label} during training, per variant: line = mean over seeds, band = min–max over seeds. ` +
        'Bayesian variants are scored with fewer MC samples here than at the final evaluation.' +
        excludedNote(validation),
      spec: curveSpec({ title: `Validation mIoU, ${first.name}`, yTitle: 'mIoU (%)', points: validation.points, style }),
    },
    {
      id: 'training-loss',
      title: 'Training loss',
      caption: 'Weighted cross-entropy of the training batches, per variant: line = mean over seeds, band = min–max over seeds (log scale).' + excludedNote(loss),
      spec: curveSpec({ title: 'Training loss', yTitle: 'loss', points: loss.points, style, logY: loss.points.every((p) => p.min > 0) }),
    },
  ];

  const classes = table1.rows.filter((r) => r.kind === 'class' || r.kind === 'void').map((r) => r.label);
  for (const gain of table1.gains) {
    const group = paper.groups.find((g) => g.key === gain.paperGroup);
    if (!group || group.bayesian) continue;
    const deltaCol = table1.columns.findIndex((c) => c.kind === 'delta' && c.set === gain.set && c.group === gain.pairLabel);
    const paperCol = table1.columns.findIndex((c) => c.kind === 'paperDelta' && c.paperGroup === gain.paperGroup);
    const ours = `reproduced: ${gain.set}`;
    const theirs = `paper: ${gain.paperLabel}`;
    const data: ClassDeltaDatum[] = [];
    table1.rows.forEach((row, r) => {
      if (row.kind !== 'class' && row.kind !== 'void') return;
      const d = deltaCol >= 0 ? table1.cells[r][deltaCol] : undefined;
      if (d?.kind === 'delta' && d.delta.value !== null) data.push({ className: row.label, source: ours, delta: d.delta.value });
      const p = paperCol >= 0 ? table1.cells[r][paperCol] : undefined;
      if (p?.kind === 'paperDelta' && p.value !== null) data.push({ className: row.label, source: theirs, delta: p.value });
    });
    charts.push({
      id: `class-gain-${gain.set}`,
      title: `Per-class gain of ratio over switch: ${gain.set} vs the paper's ${gain.paperLabel}`,
      caption: `IoU of ratio minus IoU of switch unpooling (${gain.pairLabel}) per class and Void, in points: reproduced on ${gain.setLabel} (mean over seeds) beside the paper's ${gain.paperLabel} columns. Classes without a reproduced bar have no defined IoU or no completed pair.`,
      spec: classDeltaSpec(`Ratio − switch IoU per class: ${gain.set} vs paper (${gain.paperLabel})`, data, [ours, theirs], classes),
    });
  }

  const sets = experiment.data.eval.map((e) => e.name);
  const fIndex = boundary.metrics.findIndex((m) => m.key === 'boundaryF');
  if (fIndex >= 0) {
    const data: ScoreDatum[] = [];
    boundary.rows.forEach((row) => {
      boundary.sets.forEach((s, si) => {
        const cell = row.cells[si * boundary.metrics.length + fIndex];
        if (cell.kind === 'stats') data.push({ set: s.name, label: row.label, mean: cell.stats.mean, min: cell.stats.min, max: cell.stats.max, n: cell.stats.n });
      });
    });
    charts.push({
      id: 'boundary-fscore',
      title: 'Boundary F-score per variant',
      caption: 'Boundary F-score (%) of the final evaluation per variant and evaluation set: bar = mean over seeds, line = min–max over seeds.',
      spec: scoreBarSpec('Boundary F-score', 'boundary F (%)', data, style, sets),
    });
  }
  return { charts, validation, loss };
}
