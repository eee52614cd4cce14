/**
 * The part of this package that loads no compute engine: model configuration and the atomic file writer.
 * Readers of results (the run store, the report, `exp list`) import this entry so they never load tfjs.
 */
export { INIT_SCHEMES, SEGNET_PRESETS, UNPOOL_MODES, segnetConfig, validateSegNetConfig } from './segnet_config.js';
export { dropoutSites, requiredDivisor, segnetPlan } from './segnet_plan.js';
export type { SegNetPlan } from './segnet_plan.js';
export type { InitScheme, SegNetConfig, SegNetPreset, UnpoolMode } from './segnet_config.js';
export { writeFileAtomic, writeJsonAtomic } from './atomic_file.js';
