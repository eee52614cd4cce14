export { applyPreset, dataRefSchema, defineExperiment, experimentSchema, formatZodIssues, scaleSchema, seedSchema, variantSchema } from './experiment.js';
export type { DataRef, Experiment, Scale, ScaleOverride, Variant } from './experiment.js';
export { canonicalJson, configHash, parseShard, resolveRuns, shardRuns } from './grid.js';
export type { GridOptions, ResolvedRun, RunConfig, RunOperations } from './grid.js';
export * from './results_schema.js';
export { appendMetrics, listRuns, loadRun, readMetrics, readResult, readRunConfig, runPaths, storedConfigHash, truncateMetrics } from './run_store.js';
export type { LoadedRun } from './run_store.js';
export { appendJsonl, parseJsonl, readJsonl, repairJsonl } from './jsonl.js';
export type { JsonlRead } from './jsonl.js';
export { writeFileAtomic, writeJsonAtomic } from '@unpool/models/light';
export { acquireRunLock, lockHolder, RunLockedError } from './run_lock.js';
export type { LockHolder } from './run_lock.js';
export { gitState, machineInfo, packageVersions } from './provenance.js';
export { isRunFolderName } from './run_store.js';
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
