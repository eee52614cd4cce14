import type { Experiment, RunConfig, Variant } from '@unpool/results';
import type { RunSlot } from './run_slots.js';
import { variantCell, type VariantCell } from './variant_cell.js';

/**
 * The sweep as numbers: one row per training setting (learning rate x schedule x initialisation), one cell
 * per model and stage, and the rule that picks the setting the ablation adopts. The rule is chosen FOR THE
 * BASELINES (switch and Bayesian switch), so ratio unpooling cannot win by a setting that suits it.
 */

export const SWEEP_MODELS = ['switch', 'bayes-switch', 'ratio'] as const;
export type SweepModel = (typeof SWEEP_MODELS)[number];
/** Ties within this many mIoU points go to the simpler setting. */
export const TIE_POINTS = 0.1;

export interface SweepSetting {
  lr: number;
  schedule: string;
  init: string;
}

export interface SettingScore {
  setting: SweepSetting;
  /** Mean of the switch and Bayesian-switch cells (mIoU, percent), each a mean over seeds. */
  score: number;
}

/** The training setting a run resolves to (absent init: He-normal, the model's default). */
export function runSetting(config: Pick<RunConfig, 'optimizer' | 'schedule' | 'model'>): SweepSetting {
  return { lr: config.optimizer.lr, schedule: config.schedule, init: config.model.init ?? 'he-normal' };
}

export function settingKey(s: SweepSetting): string {
  return `lr ${s.lr}, ${s.schedule}, ${s.init}`;
}

/** The setting in words, as the pages print it. */
export function settingText(s: SweepSetting): string {
  return `Adam lr ${s.lr}, ${s.schedule} schedule, ${s.init} init`;
}

export function sameSetting(a: SweepSetting, b: SweepSetting): boolean {
  return settingKey(a) === settingKey(b);
}

/** Which sweep model a variant is, from its unpooling and MC dropout; null for anything else. */
export function sweepModel(v: Pick<Variant, 'unpool' | 'bayesian'>): SweepModel | null {
  if (v.unpool === 'switch') return v.bayesian ? 'bayes-switch' : 'switch';
  if (v.unpool === 'ratio' && !v.bayesian) return 'ratio';
  return null;
}

const SCHEDULE_RANK: Record<string, number> = { constant: 0, poly: 1, cosine: 2 };
const INIT_RANK: Record<string, number> = { 'he-normal': 0, 'torch-default': 1 };
const rank = (table: Record<string, number>, k: string) => table[k] ?? Object.keys(table).length;

/** Negative when `a` is simpler: constant before poly, then He-normal before PyTorch's default, then lower lr. */
export function compareSimplicity(a: SweepSetting, b: SweepSetting): number {
  return rank(SCHEDULE_RANK, a.schedule) - rank(SCHEDULE_RANK, b.schedule) || rank(INIT_RANK, a.init) - rank(INIT_RANK, b.init) || a.lr - b.lr;
}

/** Best score first; equal scores by simplicity. */
export function rankSettings(scores: readonly SettingScore[]): SettingScore[] {
  return [...scores].sort((a, b) => b.score - a.score || compareSimplicity(a.setting, b.setting));
}

/**
 * The setting the ablation adopts: the best baseline score, where every setting within `tie` points of the
 * best counts as a tie and the simplest of those wins. Null when no setting has a score.
 */
export function selectBaselineWinner(scores: readonly SettingScore[], tie = TIE_POINTS): { winner: SettingScore; tied: SettingScore[] } | null {
  if (scores.length === 0) return null;
  const best = Math.max(...scores.map((s) => s.score));
  const tied = scores.filter((s) => s.score >= best - tie).sort((a, b) => compareSimplicity(a.setting, b.setting));
  return { winner: tied[0], tied };
}

export interface SweepCell {
  variant: string;
  cell: VariantCell;
  /** No folder for any expected seed: the stage did not run this cell. */
  pruned: boolean;
}

export interface SweepStage {
  preset: string;
  steps: number;
  seeds: number[];
  /** cells[settingKey][model] */
  cells: Map<string, Partial<Record<SweepModel, SweepCell>>>;
  scores: SettingScore[];
}

/** The score of a cell: synth-city (first evaluation set) mIoU over 19 classes, in percent. */
function scoreCell(slots: readonly RunSlot[], variant: string, set: string): VariantCell {
  return variantCell(slots, variant, (r) => {
    const e = r.evals[set];
    return e === undefined ? undefined : e.miou;
  }, 100);
}

const cellMean = (c: SweepCell | undefined) => (c && c.cell.kind === 'stats' ? c.cell.stats.mean : null);

/** One stage (a preset of the sweep) from its matched slots. */
export function sweepStage(experiment: Experiment, preset: string, slots: readonly RunSlot[]): SweepStage {
  const set = experiment.data.eval[0].name;
  const cells: SweepStage['cells'] = new Map();
  const seen = new Set<string>();
  for (const s of slots) {
    const model = sweepModel(s.variant);
    if (!model || seen.has(s.variant.name)) continue;
    seen.add(s.variant.name);
    const key = settingKey(runSetting(s.expected.config));
    const cell = scoreCell(slots, s.variant.name, set);
    const pruned = cell.kind === 'status' && cell.statuses.every((x) => x === 'missing');
    cells.set(key, { ...cells.get(key), [model]: { variant: s.variant.name, cell, pruned } });
  }
  const scores: SettingScore[] = [];
  for (const s of slots) {
    const key = settingKey(runSetting(s.expected.config));
    const row = cells.get(key);
    if (!row || scores.some((x) => settingKey(x.setting) === key)) continue;
    const a = cellMean(row.switch);
    const b = cellMean(row['bayes-switch']);
    if (a !== null && b !== null) scores.push({ setting: runSetting(s.expected.config), score: (a + b) / 2 });
  }
  const first = slots[0]?.expected.config;
  return { preset, steps: first?.steps ?? 0, seeds: [...new Set(slots.map((s) => s.seed))], cells, scores };
}

/** Every setting of the experiment's sweep cells, in experiment order. */
export function sweepSettings(slots: readonly RunSlot[]): SweepSetting[] {
  const out = new Map<string, SweepSetting>();
  for (const s of slots) if (sweepModel(s.variant)) out.set(settingKey(runSetting(s.expected.config)), runSetting(s.expected.config));
  return [...out.values()];
}

/** The sweep's presets that are stages, in declaration order (`smoke` only checks code paths). */
export function sweepStagePresets(experiment: Experiment): string[] {
  return Object.keys(experiment.presets).filter((p) => p !== 'smoke');
}

export interface SweepSummary {
  settings: SweepSetting[];
  stages: SweepStage[];
  /** Stage 1's settings by baseline score. */
  ranking: SettingScore[];
  /** Settings with at least one run in the last stage. */
  advanced: SweepSetting[];
  /** The last stage's winner for the baselines (null until it has a score). */
  winner: { winner: SettingScore; tied: SettingScore[] } | null;
  /** `exp run` for the last stage: every model in the `keep` best settings of stage 1. */
  stage2Command: string | null;
}

/** Everything the sweep page and the ablation's note need; `stages` in order, first = screening. */
export function summarizeSweep(experiment: Experiment, stages: readonly { preset: string; slots: readonly RunSlot[] }[], keep = 2): SweepSummary {
  const built = stages.map((s) => sweepStage(experiment, s.preset, s.slots));
  const first = built[0];
  const last = built[built.length - 1];
  const ranking = first ? rankSettings(first.scores) : [];
  const allSlots = stages.flatMap((s) => s.slots);
  const settings = sweepSettings(allSlots);
  const advanced = last && built.length > 1 ? settings.filter((st) => Object.values(last.cells.get(settingKey(st)) ?? {}).some((c) => c && !c.pruned)) : [];
  const top = ranking.slice(0, keep).map((r) => settingKey(r.setting));
  const names = experiment.variants.filter((v) => sweepModel(v) && top.includes(settingKey(runSettingOf(allSlots, v.name)))).map((v) => v.name);
  const stage2Command = last && built.length > 1 && names.length ? `pnpm exp run ${experiment.name} --preset ${last.preset} --only ${names.join(',')}` : null;
  return { settings, stages: built, ranking, advanced, winner: last && built.length > 1 ? selectBaselineWinner(last.scores) : null, stage2Command };
}

function runSettingOf(slots: readonly RunSlot[], variant: string): SweepSetting {
  const slot = slots.find((s) => s.variant.name === variant)!;
  return runSetting(slot.expected.config);
}
