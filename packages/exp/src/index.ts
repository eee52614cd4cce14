export { applyPreset, dataRefSchema, defineExperiment, experimentSchema, formatZodIssues, scaleSchema, variantSchema } from './experiment.js';
export type { DataRef, Experiment, Scale, ScaleOverride, Variant } from './experiment.js';
export { canonicalJson, configHash, parseShard, resolveRuns, shardRuns } from './grid.js';
export type { GridOptions, ResolvedRun, RunConfig, RunOperations } from './grid.js';
export * from './results_schema.js';
export { isRunFolderName, listRuns, loadRun, readMetrics, readResult, readRunConfig, runPaths } from './run_store.js';
export {
  listSlurmSubmissions,
  readSlurmFinished,
  readSlurmSubmission,
  SLURM_FOLDER,
  slurmFinishedSchema,
  slurmSubmissionPaths,
  slurmSubmissionSchema,
} from './slurm_record.js';
export type { SlurmFinished, SlurmSubmission } from './slurm_record.js';
export type { LoadedRun } from './run_store.js';
export { writeFileAtomic, writeJsonAtomic } from '@unpool/models';
export { acquireRunLock, RunLockedError } from './run_lock.js';
export { Optimizer } from './train/optimizer.js';
export type { OptimizerConfig } from './train/optimizer.js';
export { learningRate } from './train/lr_schedule.js';
export type { LrSchedule } from './train/lr_schedule.js';
export { segmentationLoss, VOID_LABEL } from './train/segmentation_loss.js';
export { medianFrequencyWeights, uniformWeights } from './train/class_weights.js';
export { DivergedError, trainLoop } from './train/train_loop.js';
export { profileTrainStep } from './train/profile_train_step.js';
export type { BatchSource, LogEvent, TrainHooks, TrainSpec } from './train/train_loop.js';
export { runExperiment } from './run_experiment.js';
export type { RunExperimentOptions } from './run_experiment.js';
export { executeRun, isCompleted } from './run_executor.js';
export type { ExecuteContext, RunOutcome } from './run_executor.js';
export { summaryTable } from './summary_table.js';
export { evaluate } from './evaluate.js';
export type { EvaluateOptions, EvaluateOutput, KeptImage } from './evaluate.js';
export { ProgressLine, formatDuration } from './progress.js';
export { gitState, machineInfo, packageVersions } from './provenance.js';
export { unpoolBytesPerImage } from './unpool_memory.js';
export { openData } from './data_source.js';
export { createEngine, resolveEngine } from './engine/create_engine.js';
export type { EngineOptions } from './engine/create_engine.js';
export { ENGINE_NAMES } from './engine/segnet_engine.js';
export type { EngineChoice, EngineName, Predictor, SegNetEngine, StepGradients, TrainBatch } from './engine/segnet_engine.js';
