import { curveSpec, type VariantStyle } from '@unpool/report';
import type { RunRecord } from './run_source.js';

/** One line per run (or per run and set): the report's curve spec, with one "seed" per point. */
interface Series {
  label: string;
  points: { step: number; value: number }[];
}

const PALETTE = ['#0b5d9e', '#c4421a', '#2e7d32', '#6a3d9a', '#b8860b', '#555555', '#d81b60', '#00838f'];

function style(labels: readonly string[]): VariantStyle {
  return { domain: [...labels], colors: labels.map((_, i) => PALETTE[i % PALETTE.length]), dashes: labels.map((_, i) => (i < PALETTE.length ? [1, 0] : [6, 3])) };
}

function spec(title: string, yTitle: string, series: readonly Series[], logY = false) {
  const points = series.flatMap((s) => {
    // A resumed run may have logged a step twice; the last line wins, as in the report.
    const byStep = new Map<number, number>();
    for (const p of s.points) if (Number.isFinite(p.value)) byStep.set(p.step, p.value);
    return [...byStep].sort((a, b) => a[0] - b[0]).map(([step, v]) => ({ variant: s.label, label: s.label, step, mean: v, min: v, max: v, n: 1 }));
  });
  return curveSpec({ title, yTitle, points, style: style(series.map((s) => s.label)), logY });
}

/** Chart id -> vega-lite spec: training loss and validation mIoU per evaluation set, the runs overlaid. */
export function runCharts(runs: readonly { label: string; run: RunRecord }[]): Record<string, unknown> {
  const sets: string[] = [];
  for (const { run } of runs) for (const l of run.metrics) if (l.type === 'eval' && !sets.includes(l.set)) sets.push(l.set);
  const charts: Record<string, unknown> = {
    'chart-loss': spec(
      'Training loss',
      'loss',
      runs.map(({ label, run }) => ({ label, points: run.metrics.flatMap((l) => (l.type === 'train' && l.loss !== null ? [{ step: l.step, value: l.loss }] : [])) })),
      true,
    ),
  };
  for (const set of sets) {
    charts[`chart-val-${set}`] = spec(
      `Validation mIoU, ${set}`,
      'mIoU (%)',
      runs.map(({ label, run }) => ({
        label,
        points: run.metrics.flatMap((l) => (l.type === 'eval' && l.set === set && l.miou !== null ? [{ step: l.step, value: l.miou * 100 }] : [])),
      })),
    );
  }
  return charts;
}
