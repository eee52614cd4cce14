export { renderReport } from './render_report.js';
export type { RenderReportOptions, RenderReportResult } from './render_report.js';
export { buildReportModel } from './report_model.js';
export type { FigureImage, QualitativeFigure, ReportInput, ReportModel } from './report_model.js';
export { reportHtml } from './html_page.js';
export { buildTable1, rowValue, TABLE1_ROWS } from './table1.js';
export type { Table1, Table1Band, Table1Cell, Table1Column, Table1Gain, Table1Row, Table1RowKind } from './table1.js';
export { flatHeader, table1Csv, table1Markdown, TABLE1_CSV_COLUMNS } from './table1_text.js';
export { collectRuns } from './collect_runs.js';
export { completedSlots, matchRuns } from './run_slots.js';
export type { FoundRun, MatchedRuns, RunSlot, SlotStatus, StrayRun } from './run_slots.js';
export { seedStats } from './seed_stats.js';
export type { SeedStats, SpreadKind } from './seed_stats.js';
export { studentTCdf, studentTQuantile } from './student_t.js';
export { deltaCell, variantCell } from './variant_cell.js';
export type { DeltaCell, VariantCell } from './variant_cell.js';
export { variantGroups, variantPairs } from './variant_groups.js';
export type { VariantGroup, VariantPair, VariantSingle } from './variant_groups.js';
export { lossCurve, validationCurve } from './curves.js';
export type { Curve, CurvePoint } from './curves.js';
export { classDeltaSpec, curveSpec, scoreBarSpec, variantStyle } from './chart_specs.js';
export { reportCharts } from './report_charts.js';
export type { ChartEntry, ReportCharts } from './report_charts.js';
export { chooseSamples, SAMPLE_SELECTION_RULE } from './sample_selection.js';
export type { SampleFigureSet, SamplePick, SampleSource } from './sample_selection.js';
export { computeLabel, costRows, COST_FIELDS } from './costs_table.js';
export type { CostRow } from './costs_table.js';
export { benchTable, benchFileSchema } from './bench_table.js';
export { onnxTable } from './onnx_table.js';
export { BOUNDARY_METRICS, metricTable, UNCERTAINTY_METRICS } from './metric_table.js';
export type { MetricDef, MetricTable } from './metric_table.js';
export { provenanceRows } from './provenance.js';
export type { ProvenanceRow } from './provenance.js';
export { loadPaperTable1, PAPER_TABLE1_FILE, paperTable1Schema, paperValue, parsePaperTable1 } from './paper_table1.js';
export type { PaperTable1 } from './paper_table1.js';
export { CLASS_NAMES } from './class_names.js';
export { renderSvg } from './svg_render.js';
export { loadVegaAssets, packageDir } from './vega_assets.js';
export { html, joinHtml, rawHtml, SafeHtml } from './view/html.js';
export type { HtmlValue } from './view/html.js';
export { fmtMedianRange, fmtSeconds, fmtShape, fmtUnit, summarize } from './view/units.js';
export type { SampleSummary, Unit } from './view/units.js';
export { displayPath, scrubPaths } from './view/paths.js';
export { esc, scriptSafe } from './html_escape.js';
export { fmt, fmtBytes, fmtSigned, fmtSpread } from './format.js';
export { benchHtml } from './html_bench.js';
export { REPORT_STYLE } from './html_style.js';
export { backendName } from './provenance.js';
export { flattenRecord } from './generic_table.js';
export type { CurveSpecOptions, VariantStyle } from './chart_specs.js';
export { EMBED_CHARTS_JS } from './view/embed_charts.js';
export { CHROMIUM, chromiumArgs } from './chromium.js';
export { pairedDiffs, pairedGain } from './paired_gain.js';
export type { PairedGain } from './paired_gain.js';
export { gainText, headlineFromRuns, headlineSentence } from './headline.js';
export { gridWallTime } from './provenance.js';
export type { GridWall } from './provenance.js';
export {
  compareSimplicity,
  rankSettings,
  runSetting,
  selectBaselineWinner,
  settingKey,
  summarizeSweep,
  sweepModel,
  sweepStagePresets,
  SWEEP_MODELS,
  TIE_POINTS,
} from './sweep.js';
export type { SettingScore, SweepModel, SweepSetting, SweepSummary } from './sweep.js';
export { collectSweep, renderSweepReport } from './render_sweep.js';
export { settingText } from './sweep.js';
export { baseSettings, longRunNote, standardGap, sweepNote } from './ablation_notes.js';
export type { LongRunNote, SweepNote } from './ablation_notes.js';
export type { RenderSweepOptions } from './render_sweep.js';
