import { z } from 'zod';

/**
 * The contract between the runner (writer) and the report (reader) for `runs/<experiment>/<runId>/`.
 * Numbers that are undefined (a class absent from both ground truth and prediction) are stored as null,
 * never NaN, so every file is plain JSON.
 */
const score = z.number().nullable();

export const RUN_STATUSES = ['running', 'completed', 'failed', 'diverged'] as const;
export const runStatusSchema = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof runStatusSchema>;

export const boundaryScoresSchema = z.object({
  /** Tolerance band in pixels. */
  d: z.number(),
  fscore: score,
  perClass: z.array(score).length(19),
  trimapIoU: score,
});

export const uncertaintyScoresSchema = z.object({
  mcSamples: z.number().int(),
  meanEntropy: score,
  entropyCorrect: score,
  entropyIncorrect: score,
  ece: score,
});

export const evalScoresSchema = z.object({
  images: z.number().int(),
  /** Passes averaged per image (25 for Bayesian models at the final evaluation, else 1). */
  mcSamples: z.number().int(),
  /** Mean IoU over the 19 classes, void-labelled pixels ignored (Cityscapes convention). */
  miou: score,
  iou: z.array(score).length(19),
  /** Void as a 20th class over all pixels (the paper's Void row). */
  iouVoid: score,
  /** The paper's "Average" row: mean over 19 classes + void. */
  miou20Paper: score,
  globalAccuracy: score,
  meanClassAccuracy: score,
  boundary: boundaryScoresSchema,
  uncertainty: uncertaintyScoresSchema.nullable(),
});
export type EvalScores = z.infer<typeof evalScoresSchema>;

export const costsSchema = z.object({
  backend: z.string(),
  /** What computed the training steps and inference: 'tfjs' or 'onnxruntime' (absent in older results: tfjs). */
  engine: z.string().optional(),
  params: z.number().int(),
  /** Median training step time over the run (batch of `batchSize`). */
  trainMsPerStep: z.number().nullable(),
  /** Single deterministic pass, per image, measured at the run's batch size. */
  inferenceMsPerImage: z.number().nullable(),
  /** With `mcSamples` dropout passes (Bayesian models only). */
  inferenceMcMsPerImage: z.number().nullable(),
  /**
   * Peak bytes tfjs allocates for one training step of this model (a tf.profile of the tfjs step, taken
   * whatever engine trained the run: ONNX Runtime's own arena is not observable from Node).
   */
  peakTrainBytes: z.number().nullable(),
  /** Bytes the unpooling layers keep per image between encoder and decoder beyond activations (switches). */
  unpoolBytesPerImage: z.number(),
  /**
   * Bytes an inference-only pass must hold per image from pooling until the matching unpooling: the
   * switches for switch unpooling, but the full-size pre-pool tensor and the pooled tensor for ratio
   * unpooling (training keeps those for backprop anyway; inference otherwise could free them).
   */
  unpoolInferenceBytesPerImage: z.number().optional(),
  /**
   * ONNX Runtime engine: the execution provider and adapter, the nodes of the generated training and
   * inference graphs per EP (a GPU EP's sessions refuse any CPU-EP node, so `cpu` is 0 there), and the
   * bytes one training step copies between host and device (absent in older results).
   */
  placement: z
    .strictObject({
      executionProvider: z.string(),
      adapter: z.string().nullable(),
      nodes: z.strictObject({ train: z.record(z.string(), z.number().int()), inference: z.record(z.string(), z.number().int()) }),
      hostBytesPerStep: z.number().nullable(),
    })
    .optional(),
});
export type Costs = z.infer<typeof costsSchema>;

/** The fields that name a run, shared by result.json and config.json. */
const runIdentity = {
  schemaVersion: z.literal(1),
  experiment: z.string(),
  runId: z.string(),
  variant: z.string(),
  seed: z.number().int(),
  preset: z.string(),
  configHash: z.string(),
};

export const resultSchema = z.object({
  ...runIdentity,
  status: runStatusSchema,
  error: z.string().nullable(),
  step: z.number().int(),
  steps: z.number().int(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  wallSeconds: z.number(),
  /** Final scores per evaluation set name (e.g. 'synth-city', 'synth-kitti'). */
  evals: z.record(z.string(), evalScoresSchema),
  costs: costsSchema.nullable(),
  /**
   * Files and folders the run wrote besides config, metrics and result (relative to its folder); a
   * completed run missing one of them is redone from its last checkpoint. Absent in older results.
   */
  artifacts: z.array(z.string()).optional(),
  /** Filled by `exp onnx` (see @unpool/onnx); absent until the check has run. */
  onnx: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type RunResult = z.infer<typeof resultSchema>;

export const trainLineSchema = z.object({
  type: z.literal('train'),
  step: z.number().int(),
  /** null on the line that records a non-finite loss (the step a run diverged). */
  loss: z.number().nullable(),
  lr: z.number(),
  secondsPerStep: z.number(),
  /** Seconds since the run (first) started. */
  time: z.number(),
});

export const evalLineSchema = z.object({
  type: z.literal('eval'),
  step: z.number().int(),
  set: z.string(),
  mcSamples: z.number().int(),
  miou: score,
  miou20Paper: score,
  iou: z.array(score).length(19),
  iouVoid: score,
  globalAccuracy: score,
  time: z.number(),
});

export const metricsLineSchema = z.discriminatedUnion('type', [trainLineSchema, evalLineSchema]);
export type MetricsLine = z.infer<typeof metricsLineSchema>;

export const runConfigFileSchema = z.object({
  ...runIdentity,
  /** The fully resolved run configuration (see resolveRuns). */
  config: z.record(z.string(), z.unknown()),
  git: z.object({ commit: z.string().nullable(), dirty: z.boolean().nullable() }),
  backend: z.record(z.string(), z.unknown()),
  /** The training/inference engine and its details (absent in older runs: tfjs). */
  engine: z.record(z.string(), z.unknown()).optional(),
  versions: z.record(z.string(), z.string()),
  machine: z.object({
    platform: z.string(),
    cpu: z.string(),
    cores: z.number().int(),
    memoryBytes: z.number(),
    gpu: z.string().nullable(),
  }),
  createdAt: z.string(),
});
export type RunConfigFile = z.infer<typeof runConfigFileSchema>;

/** JSON Schemas of the files, for tools outside TypeScript. */
export function resultsJsonSchemas(): Record<string, unknown> {
  return {
    'result.json': z.toJSONSchema(resultSchema),
    'metrics.jsonl (one line)': z.toJSONSchema(metricsLineSchema),
    'config.json': z.toJSONSchema(runConfigFileSchema),
  };
}

/**
 * `samples/index.json`: the fixed candidate validation images of a run (the first N of each evaluation
 * set), with per-image scores so the report can choose qualitative figures by a rule, and the PNG files
 * (relative to the samples folder) it can show.
 */
export const samplesIndexSchema = z.object({
  sets: z.array(
    z.object({
      set: z.string(),
      images: z.array(
        z.object({
          index: z.number().int(),
          id: z.string(),
          /** Mean IoU over the classes present in this image (19-class convention). */
          miou: score,
          files: z.object({
            input: z.string(),
            truth: z.string(),
            prediction: z.string(),
            /** Predictive entropy as a grey image (Bayesian variants). */
            entropy: z.string().nullable(),
          }),
        }),
      ),
    }),
  ),
});
export type SamplesIndex = z.infer<typeof samplesIndexSchema>;
