export {
  CLASS_NAMES,
  NUM_CLASSES,
  NUM_OUTPUTS,
  VOID_INDEX,
  VOID_LABEL,
  isPredictionIndex,
  labelIndex,
} from './label_space.js';
export type { JsonNumber } from './json_number.js';
export { ConfusionMatrix, type ConfusionMatrixJson } from './confusion_matrix.js';
export { segmentationScores, type SegmentationScores } from './segmentation_scores.js';
export { diskOffsets } from './disk_offsets.js';
export { labelBoundary } from './label_boundary.js';
export {
  BoundaryAccumulator,
  DEFAULT_BOUNDARY_TOLERANCE,
  type BoundaryAccumulatorJson,
  type BoundaryClassScore,
  type BoundaryOptions,
  type BoundaryScores,
} from './boundary_accumulator.js';
export { predictiveEntropy } from './predictive_entropy.js';
export {
  DEFAULT_CALIBRATION_BINS,
  UncertaintyAccumulator,
  type CalibrationBin,
  type UncertaintyAccumulatorJson,
  type UncertaintyOptions,
  type UncertaintyScores,
} from './uncertainty_accumulator.js';
