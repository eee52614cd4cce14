// The run store, experiment schema and grid live in @unpool/results (no compute engine); re-exported here so
// code that reads runs through @unpool/exp keeps working.
export * from '@unpool/results';
export { Optimizer } from './train/optimizer.js';
export type { OptimizerConfig } from './train/optimizer.js';
export { learningRate } from './train/lr_schedule.js';
export type { LrSchedule } from './train/lr_schedule.js';
export { segmentationLoss, VOID_LABEL } from './train/segmentation_loss.js';
export { medianFrequencyWeights, uniformWeights } from './train/class_weights.js';
export { DivergedError, trainLoop } from './train/train_loop.js';
export { profileTrainStep } from './train/profile_train_step.js';
export type { BatchSource, LogEvent, TrainHooks, TrainSpec } from './train/train_loop.js';
export { preflightData, runExperiment } from './run_experiment.js';
export type { RunExperimentOptions } from './run_experiment.js';
export { executeRun } from './run_executor.js';
export type { ExecuteContext, RunOutcome } from './run_executor.js';
export { summaryTable } from './summary_table.js';
export { evaluate } from './evaluate.js';
export type { EvaluateOptions, EvaluateOutput, KeptImage } from './evaluate.js';
export { ProgressLine, formatDuration } from './progress.js';
export { unpoolBytesPerImage } from './unpool_memory.js';
export { openData, trainBatches } from './data_source.js';
export { createEngine, registerEngine, registeredEngines, resolveEngine } from './engine/create_engine.js';
export type { EngineDefinition, EngineOptions } from './engine/create_engine.js';
export { ENGINE_NAMES } from './engine/segnet_engine.js';
export type { EngineChoice, EngineName, EnginePlacement, Predictor, SegNetEngine, Trainer, TrainBatch } from './engine/segnet_engine.js';
export { tfjsGradients } from './engine/tfjs_engine.js';
