/**
 * The label space every metric in this package shares.
 *
 * Ground truth arrives as Cityscapes trainIds: 0..18 for the 19 evaluation classes and 255 for void.
 * The models emit 20 logits (0..18 the classes, 19 void) because the paper's Table 1 reports a Void row,
 * i.e. void was trained as a class. Internally both sides therefore live in one 20-entry index space in
 * which void is index 19.
 */

/** Number of Cityscapes evaluation classes (trainIds 0..18). */
export const NUM_CLASSES = 19;
/** Index of void in the 20-entry space (prediction channel 19, confusion-matrix row/column 19). */
export const VOID_INDEX = 19;
/** Size of the 20-entry space: 19 classes + void. */
export const NUM_OUTPUTS = 20;
/** The value Cityscapes uses for void in trainId label maps. */
export const VOID_LABEL = 255;

/** Cityscapes trainId names, in trainId order; index 19 is void. */
export const CLASS_NAMES: readonly string[] = Object.freeze([
  'road',
  'sidewalk',
  'building',
  'wall',
  'fence',
  'pole',
  'traffic light',
  'traffic sign',
  'vegetation',
  'terrain',
  'sky',
  'person',
  'rider',
  'car',
  'truck',
  'bus',
  'train',
  'motorcycle',
  'bicycle',
  'void',
]);

/**
 * Maps one ground-truth label value to its index in the 20-entry space, or -1 when it is not a valid
 * label. 19 is accepted as void as well as 255, so label maps that were already remapped for training
 * (void as class 19) can be evaluated unchanged.
 */
export function labelIndex(value: number): number {
  if (value === VOID_LABEL) return VOID_INDEX;
  // `>>> 0` equals the value only for integers in 0..2^32-1, which also rejects NaN and fractions.
  return value >>> 0 === value && value <= VOID_INDEX ? value : -1;
}

/** True for an integer prediction in 0..19. */
export function isPredictionIndex(value: number): boolean {
  return value >>> 0 === value && value < NUM_OUTPUTS;
}

/** Error for a label value that is neither a trainId, 19 nor 255. */
export function badLabelError(where: string, value: number, position: number): Error {
  return new RangeError(
    `${where}: label value ${String(value)} at position ${position} is not a trainId 0..${NUM_CLASSES - 1} ` +
      `or void (${VOID_LABEL}, or ${VOID_INDEX})`,
  );
}

/** Error for a prediction value outside 0..19. */
export function badPredictionError(where: string, value: number, position: number): Error {
  return new RangeError(
    `${where}: prediction value ${String(value)} at position ${position} is not a class index 0..${NUM_OUTPUTS - 1}`,
  );
}
