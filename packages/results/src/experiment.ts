import { z } from 'zod';
import { INIT_SCHEMES, UNPOOL_MODES, type InitScheme, type UnpoolMode } from '@unpool/models/light';

/**
 * Experiments are data: a base scale, named presets that override it, a grid of variants and seeds.
 * `defineExperiment` validates at load time so a typo fails before any training starts.
 */

export const dataRefSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('synth'), style: z.enum(['city', 'kitti']), split: z.enum(['train', 'val', 'test']) }),
  z.strictObject({ kind: z.literal('cityscapes'), root: z.string().min(1), split: z.enum(['train', 'val', 'test']) }),
  z.strictObject({ kind: z.literal('kitti'), root: z.string().min(1), split: z.enum(['train', 'val', 'all']) }),
]);
export type DataRef = z.infer<typeof dataRefSchema>;

export const variantSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'variant names are lower-case words joined by -'),
  unpool: z.enum(UNPOOL_MODES as [UnpoolMode, ...UnpoolMode[]]),
  bayesian: z.boolean(),
  /** What the report calls it; display only, so it is left out of the config hash (see configHash). */
  label: z.string(),
  /**
   * Deep-partial overrides of the preset's scale for this variant only (a sweep's cells: learning rate,
   * schedule, initialisation), validated merged with every preset's scale by `defineExperiment`.
   */
  overrides: z.record(z.string(), z.unknown()).optional(),
});
export type Variant = z.infer<typeof variantSchema>;

/** A seed is recorded in JSON and hashed, so it must survive a round trip through a double exactly. */
export const seedSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const scaleSchema = z.strictObject({
  model: z.strictObject({
    preset: z.enum(['mini', 'vgg16']),
    widths: z.array(z.number().int().positive()).optional(),
    convsPerBlock: z.array(z.number().int().positive()).optional(),
    dropout: z.number().min(0).max(0.95),
    /** Weight initialisation (absent: He-normal, see `InitScheme`). */
    init: z.enum(INIT_SCHEMES as [InitScheme, ...InitScheme[]]).optional(),
  }),
  height: z.number().int().positive(),
  width: z.number().int().positive(),
  batchSize: z.number().int().positive(),
  steps: z.number().int().positive(),
  /** Synthetic training-set size (real data sets use every file). */
  trainSize: z.number().int().positive(),
  /** Images per evaluation set (synthetic size; a cap for real data). */
  evalSize: z.number().int().positive(),
  evalEvery: z.number().int().positive(),
  /** MC samples at the final evaluation of Bayesian variants (the paper: 25). */
  mcSamples: z.number().int().positive(),
  /** MC samples for the intermediate (curve) evaluations, which only need the trend. */
  curveMcSamples: z.number().int().positive(),
  /** Images of the first eval set scored during training, for Fig. 3's curve. */
  curveEvalSize: z.number().int().positive(),
  logEvery: z.number().int().positive(),
  checkpointEvery: z.number().int().positive(),
  seeds: z.array(seedSchema).min(1),
  optimizer: z.strictObject({
    name: z.enum(['adam', 'sgd']),
    lr: z.number().positive(),
    momentum: z.number().min(0).max(1).optional(),
    weightDecay: z.number().min(0).optional(),
  }),
  schedule: z.enum(['constant', 'poly', 'cosine']),
  classWeights: z.enum(['median-frequency', 'none']),
  /** Train void as a 20th class (the paper's Table 1 reports a Void IoU) or ignore void pixels. */
  voidAsClass: z.boolean(),
  /** Horizontal-flip augmentation. */
  flip: z.boolean(),
  /** Validation images saved as PNG (input / truth / prediction) per run. */
  samples: z.number().int().min(0),
});
export type Scale = z.infer<typeof scaleSchema>;

type DeepPartial<T> = { [K in keyof T]?: T[K] extends (infer U)[] ? U[] : T[K] extends object ? DeepPartial<T[K]> : T[K] };
export type ScaleOverride = DeepPartial<Scale>;

export const experimentSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  description: z.string(),
  data: z.strictObject({
    train: dataRefSchema,
    /** Evaluation columns, in report order; the first one also drives the training curves. */
    eval: z.array(z.strictObject({ name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/), label: z.string(), data: dataRefSchema })).min(1),
  }),
  variants: z.array(variantSchema).min(1),
  base: scaleSchema,
  /** Deep-partial overrides of `base`; each is validated merged with it (see applyPreset). */
  presets: z.record(z.string(), z.record(z.string(), z.unknown())),
  defaultPreset: z.string(),
});
export type Experiment = Omit<z.infer<typeof experimentSchema>, 'presets' | 'variants'> & {
  presets: Record<string, ScaleOverride>;
  variants: Array<Omit<Variant, 'overrides'> & { overrides?: ScaleOverride }>;
};

/** Validates an experiment definition; errors name the field path. */
export function defineExperiment(definition: Experiment): Experiment {
  const parsed = experimentSchema.safeParse(definition);
  if (!parsed.success) {
    const where = (definition as { name?: string }).name ?? '(unnamed)';
    throw new Error(`experiment '${where}' is invalid:\n${formatZodIssues(parsed.error)}`);
  }
  const names = new Set<string>();
  for (const v of definition.variants) {
    if (names.has(v.name)) throw new Error(`experiment '${definition.name}': variant '${v.name}' is defined twice`);
    names.add(v.name);
  }
  if (!(definition.defaultPreset in definition.presets)) {
    throw new Error(`experiment '${definition.name}': defaultPreset '${definition.defaultPreset}' is not one of the presets (${Object.keys(definition.presets).join(', ')})`);
  }
  for (const [preset, override] of Object.entries(definition.presets)) {
    const scale = applyPreset(definition, preset, override);
    for (const v of definition.variants) variantScale(definition, preset, scale, v);
  }
  return definition;
}

export function formatZodIssues(error: z.ZodError): string {
  return error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
}

function merge<T>(base: T, override: unknown): T {
  if (override === undefined) return base;
  if (Array.isArray(base) || typeof base !== 'object' || base === null) return override as T;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(override as Record<string, unknown>)) out[k] = merge(out[k], v);
  return out as T;
}

/** A variant's scale: the preset's `scale`, with the variant's own overrides applied, validated as a whole. */
export function variantScale(experiment: Experiment, preset: string, scale: Scale, variant: Experiment['variants'][number]): Scale {
  if (!variant.overrides) return scale;
  const parsed = scaleSchema.safeParse(merge(scale, variant.overrides));
  if (!parsed.success) {
    throw new Error(`experiment '${experiment.name}', preset '${preset}', variant '${variant.name}' overrides:\n${formatZodIssues(parsed.error)}`);
  }
  return parsed.data;
}

/** The base scale with a preset's overrides applied, validated as a whole. */
export function applyPreset(experiment: Experiment, preset: string, override = experiment.presets[preset]): Scale {
  if (!override) {
    throw new Error(`experiment '${experiment.name}' has no preset '${preset}' (presets: ${Object.keys(experiment.presets).join(', ')})`);
  }
  const scale = merge(experiment.base, override);
  const parsed = scaleSchema.safeParse(scale);
  if (!parsed.success) throw new Error(`experiment '${experiment.name}', preset '${preset}':\n${formatZodIssues(parsed.error)}`);
  return parsed.data;
}
