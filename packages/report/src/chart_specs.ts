import type { Variant } from '@unpool/results';
import type { TopLevelSpec } from 'vega-lite';
import type { CurvePoint } from './curves.js';

/**
 * Vega-Lite specs of the report's charts, data inlined. Colour encodes the unpooling (switch blue,
 * ratio vermilion, anything else grey) and dashes the Bayesian variants, so a pair reads at a glance
 * and survives greyscale printing.
 */

const UNPOOL_COLORS: Record<string, [string, string]> = {
  switch: ['#0b5d9e', '#56a0d3'],
  ratio: ['#c4421a', '#f08a5d'],
  nearest: ['#555555', '#999999'],
};

export interface VariantStyle {
  domain: string[];
  colors: string[];
  dashes: number[][];
}

export function variantStyle(variants: readonly Variant[]): VariantStyle {
  return {
    domain: variants.map((v) => v.label),
    colors: variants.map((v) => (UNPOOL_COLORS[v.unpool] ?? UNPOOL_COLORS.nearest)[v.bayesian ? 1 : 0]),
    dashes: variants.map((v) => (v.bayesian ? [6, 3] : v.unpool === 'nearest' ? [2, 2] : [1, 0])),
  };
}

/** The style of the labels in `keep`, in the original order. */
export function restrictStyle(style: VariantStyle, keep: ReadonlySet<string>): VariantStyle {
  const idx = style.domain.map((_, i) => i).filter((i) => keep.has(style.domain[i]));
  return { domain: idx.map((i) => style.domain[i]), colors: idx.map((i) => style.colors[i]), dashes: idx.map((i) => style.dashes[i]) };
}

const FONT = 'Source Serif Pro, Charter, Georgia, DejaVu Serif, serif';

const BASE_CONFIG = {
  font: FONT,
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' as const, gridColor: '#e6e6e6', domainColor: '#888', tickColor: '#888' },
  legend: { labelFontSize: 11, titleFontSize: 11, orient: 'bottom' as const, columns: 2, symbolStrokeWidth: 2, labelLimit: 320 },
  title: { fontSize: 13, fontWeight: 'normal' as const, anchor: 'start' as const, offset: 8 },
  view: { stroke: null },
};

export interface CurveSpecOptions {
  title: string;
  yTitle: string;
  points: readonly CurvePoint[];
  style: VariantStyle;
  /** Log scale for losses, which fall by orders of magnitude early on. */
  logY?: boolean;
}

/** Mean line with a min-max band over seeds, per variant, against the training step. */
export function curveSpec(o: CurveSpecOptions): TopLevelSpec {
  // Variants without any point (nothing completed yet) stay out of the legend.
  const style = restrictStyle(o.style, new Set(o.points.map((p) => p.label)));
  // The legend is shared with the band layer; drawing it as strokes keeps the dashes readable there.
  const color = {
    field: 'label',
    type: 'nominal' as const,
    title: null,
    scale: { domain: style.domain, range: style.colors },
    legend: { symbolType: 'stroke', symbolOpacity: 1, symbolStrokeWidth: 2, symbolSize: 320 },
  };
  const dash = { field: 'label', type: 'nominal' as const, title: null, scale: { domain: style.domain, range: style.dashes } };
  const x = { field: 'step', type: 'quantitative' as const, title: 'training step' };
  const yScale = o.logY ? { type: 'log' as const } : { zero: false };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: o.title,
    width: 460,
    height: 260,
    config: BASE_CONFIG,
    data: { values: o.points.map((p) => ({ ...p })) },
    layer: [
      {
        mark: { type: 'area', opacity: 0.16 },
        encoding: { x, y: { field: 'min', type: 'quantitative', scale: yScale, title: o.yTitle }, y2: { field: 'max' }, color },
      },
      {
        mark: { type: 'line', strokeWidth: 1.8, point: o.points.length <= 60 ? { size: 18, filled: true } : false },
        encoding: {
          x,
          y: { field: 'mean', type: 'quantitative', scale: yScale, title: o.yTitle },
          color,
          strokeDash: dash,
          tooltip: [
            { field: 'label', title: 'variant' },
            { field: 'step' },
            { field: 'mean', format: '.3f' },
            { field: 'min', format: '.3f' },
            { field: 'max', format: '.3f' },
            { field: 'n', title: 'seeds' },
          ],
        },
      },
    ],
  };
}

export interface ClassDeltaDatum {
  className: string;
  source: string;
  delta: number;
}

/** Per-class IoU gain of ratio over switch, reproduced beside the paper's, as grouped horizontal bars. */
export function classDeltaSpec(title: string, data: readonly ClassDeltaDatum[], sources: readonly string[], classes: readonly string[]): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 360,
    config: { ...BASE_CONFIG, legend: { ...BASE_CONFIG.legend, columns: 1 } },
    data: { values: data.map((d) => ({ ...d })) },
    height: { step: 9 },
    layer: [
      {
        mark: { type: 'bar', height: { band: 1 } },
        encoding: {
          y: { field: 'className', type: 'nominal', sort: [...classes], title: null, axis: { labelFontSize: 10 } },
          yOffset: { field: 'source', sort: [...sources] },
          x: { field: 'delta', type: 'quantitative', title: 'IoU gain, ratio − switch (points)' },
          color: { field: 'source', type: 'nominal', title: null, scale: { domain: [...sources], range: ['#c4421a', '#bdbdbd', '#7f7f7f'] } },
          tooltip: [{ field: 'className', title: 'class' }, { field: 'source' }, { field: 'delta', format: '+.2f' }],
        },
      },
      { mark: { type: 'rule', color: '#444' }, encoding: { x: { datum: 0 } } },
    ],
  };
}

export interface ScoreDatum {
  set: string;
  label: string;
  mean: number;
  min: number;
  max: number;
  n: number;
}

/** One score per variant and evaluation set: bars for the mean, a rule for the seeds' min-max. */
export function scoreBarSpec(title: string, xTitle: string, data: readonly ScoreDatum[], style: VariantStyle, sets: readonly string[]): TopLevelSpec {
  const { domain: present, colors } = restrictStyle(style, new Set(data.map((d) => d.label)));
  const y = { field: 'label', type: 'nominal' as const, sort: present, title: null, axis: null };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    config: { ...BASE_CONFIG, legend: { ...BASE_CONFIG.legend, columns: 1 } },
    data: { values: data.map((d) => ({ ...d })) },
    facet: { column: { field: 'set', type: 'nominal', sort: [...sets], title: null, header: { labelFontSize: 12 } } },
    spec: {
      width: 220,
      height: { step: 16 },
      layer: [
        {
          mark: { type: 'bar', height: { band: 0.7 } },
          encoding: {
            y,
            x: { field: 'mean', type: 'quantitative', title: xTitle, scale: { zero: true } },
            color: { field: 'label', type: 'nominal', title: null, scale: { domain: present, range: colors } },
            tooltip: [{ field: 'label', title: 'variant' }, { field: 'mean', format: '.2f' }, { field: 'min', format: '.2f' }, { field: 'max', format: '.2f' }, { field: 'n', title: 'seeds' }],
          },
        },
        { mark: { type: 'rule', color: '#222' }, encoding: { y, x: { field: 'min', type: 'quantitative' }, x2: { field: 'max' } } },
      ],
    },
  };
}
