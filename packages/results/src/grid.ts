import { createHash } from 'node:crypto';
import { segnetConfig, type SegNetConfig } from '@unpool/models/light';
import { applyPreset, seedSchema, variantScale, type DataRef, type Experiment, type Scale, type Variant } from './experiment.js';

/** Everything that determines a run's numbers; its hash identifies the run. */
export interface RunConfig {
  experiment: string;
  variant: Variant;
  seed: number;
  model: SegNetConfig;
  data: {
    train: DataRef & { size: number };
    eval: { name: string; label: string; data: DataRef; size: number }[];
  };
  height: number;
  width: number;
  batchSize: number;
  steps: number;
  optimizer: Scale['optimizer'];
  schedule: Scale['schedule'];
  classWeights: Scale['classWeights'];
  voidAsClass: boolean;
  flip: boolean;
  evalEvery: number;
  mcSamples: number;
  curveMcSamples: number;
  curveEvalSize: number;
}

/** Settings that change how a run is carried out but not its numbers; kept out of the hash. */
export interface RunOperations {
  logEvery: number;
  checkpointEvery: number;
  samples: number;
}

export interface ResolvedRun {
  runId: string;
  preset: string;
  configHash: string;
  config: RunConfig;
  ops: RunOperations;
}

/** JSON with sorted keys, so the hash does not depend on property order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The hash that identifies a run: of everything that determines its numbers, so display labels (of the
 * variant and of the evaluation sets) are left out and editing one keeps every recorded run. Takes the
 * config as stored in config.json too (`operations` is left out as well), which is how runs recorded
 * before labels left the hash are matched (see storedConfigHash).
 */
export function configHash(config: RunConfig | Record<string, unknown>): string {
  const { operations: _operations, ...rest } = config as Record<string, unknown>;
  const c = rest as Partial<RunConfig>;
  const identity = {
    ...c,
    variant: c.variant && { ...c.variant, label: undefined },
    data: c.data && { ...c.data, eval: c.data.eval?.map((e) => ({ ...e, label: undefined })) },
  };
  return createHash('sha256').update(canonicalJson(identity)).digest('hex').slice(0, 16);
}

export interface GridOptions {
  preset?: string;
  /** Variant names to keep; unknown names are an error. */
  only?: string[];
  /** Replaces the preset's seed list. */
  seeds?: number[];
}

/** Expands an experiment's grid (variants x seeds) for a preset into runs, in a stable order. */
export function resolveRuns(experiment: Experiment, options: GridOptions = {}): ResolvedRun[] {
  const preset = options.preset ?? experiment.defaultPreset;
  const presetScale = applyPreset(experiment, preset);
  let variants = experiment.variants;
  if (options.only) {
    if (!options.only.length) throw new Error(`--only names no variant (variants: ${variants.map((v) => v.name).join(', ')})`);
    const known = new Set(variants.map((v) => v.name));
    const unknown = options.only.filter((n) => !known.has(n));
    if (unknown.length) {
      throw new Error(`experiment '${experiment.name}' has no variant ${unknown.map((n) => `'${n}'`).join(', ')} (variants: ${[...known].join(', ')})`);
    }
    variants = variants.filter((v) => options.only!.includes(v.name));
  }
  const seeds = options.seeds ?? presetScale.seeds;
  if (!seeds.length) throw new Error('--seeds names no seed');
  for (const seed of seeds) {
    if (!seedSchema.safeParse(seed).success) throw new Error(`--seeds: ${seed} is not an integer in 0..2^53-1`);
  }
  const runs: ResolvedRun[] = [];
  for (const variant of variants) {
    const scale = variantScale(experiment, preset, presetScale, variant);
    for (const seed of seeds) {
      const config: RunConfig = {
        experiment: experiment.name,
        variant,
        seed,
        model: segnetConfig({
          preset: scale.model.preset,
          ...(scale.model.widths ? { widths: scale.model.widths } : {}),
          ...(scale.model.convsPerBlock ? { convsPerBlock: scale.model.convsPerBlock } : {}),
          dropout: scale.model.dropout,
          // He-normal is the default and stays implicit, so runs recorded before `init` existed keep their ids.
          ...(scale.model.init && scale.model.init !== 'he-normal' ? { init: scale.model.init } : {}),
          unpool: variant.unpool,
          bayesian: variant.bayesian,
          classes: 20,
        }),
        data: {
          train: { ...experiment.data.train, size: scale.trainSize },
          eval: experiment.data.eval.map((e) => ({ ...e, size: scale.evalSize })),
        },
        height: scale.height,
        width: scale.width,
        batchSize: scale.batchSize,
        steps: scale.steps,
        optimizer: scale.optimizer,
        schedule: scale.schedule,
        classWeights: scale.classWeights,
        voidAsClass: scale.voidAsClass,
        flip: scale.flip,
        evalEvery: scale.evalEvery,
        mcSamples: variant.bayesian ? scale.mcSamples : 1,
        curveMcSamples: variant.bayesian ? scale.curveMcSamples : 1,
        curveEvalSize: Math.min(scale.curveEvalSize, scale.evalSize),
      };
      const hash = configHash(config);
      runs.push({
        runId: `${variant.name}-s${seed}-${hash.slice(0, 8)}`,
        preset,
        configHash: hash,
        config,
        ops: { logEvery: scale.logEvery, checkpointEvery: scale.checkpointEvery, samples: scale.samples },
      });
    }
  }
  return runs;
}

/**
 * A deterministic 1/n of the grid for shard `index` (0-based, as Kubernetes indexed Jobs and
 * SLURM_ARRAY_TASK_ID=0..n-1 number them): runs are dealt round-robin in grid order, so shards are
 * balanced across variants and every run lands in exactly one shard.
 */
export function shardRuns<T>(runs: T[], index: number, count: number): T[] {
  if (!Number.isInteger(count) || count < 1) throw new Error(`--shard: shard count must be a positive integer, got ${count}`);
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new Error(`--shard: index must be in 0..${count - 1}, got ${index}`);
  }
  return runs.filter((_, i) => i % count === index);
}

export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new Error(`--shard: expected i/n (e.g. 0/4), got '${text}'`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  shardRuns([], index, count);
  return { index, count };
}
