/**
 * The Cityscapes evaluation classes (trainIds 0..18), their official colours, and the official
 * labelId -> trainId mapping (cityscapesScripts `labels.py`). The paper evaluates on these 19 classes plus
 * void, and KITTI's semantic benchmark uses the same labelIds, so one table serves both loaders.
 */

export type Rgb = readonly [number, number, number];

export interface SegClass {
  readonly trainId: number;
  readonly name: string;
  readonly color: Rgb;
}

export const NUM_CLASSES = 19;
/** Label value for pixels that are ignored by the loss and the metrics. */
export const VOID = 255;
export const VOID_COLOR: Rgb = [0, 0, 0];

export const CLASSES: readonly SegClass[] = [
  { trainId: 0, name: 'road', color: [128, 64, 128] },
  { trainId: 1, name: 'sidewalk', color: [244, 35, 232] },
  { trainId: 2, name: 'building', color: [70, 70, 70] },
  { trainId: 3, name: 'wall', color: [102, 102, 156] },
  { trainId: 4, name: 'fence', color: [190, 153, 153] },
  { trainId: 5, name: 'pole', color: [153, 153, 153] },
  { trainId: 6, name: 'traffic light', color: [250, 170, 30] },
  { trainId: 7, name: 'traffic sign', color: [220, 220, 0] },
  { trainId: 8, name: 'vegetation', color: [107, 142, 35] },
  { trainId: 9, name: 'terrain', color: [152, 251, 152] },
  { trainId: 10, name: 'sky', color: [70, 130, 180] },
  { trainId: 11, name: 'person', color: [220, 20, 60] },
  { trainId: 12, name: 'rider', color: [255, 0, 0] },
  { trainId: 13, name: 'car', color: [0, 0, 142] },
  { trainId: 14, name: 'truck', color: [0, 0, 70] },
  { trainId: 15, name: 'bus', color: [0, 60, 100] },
  { trainId: 16, name: 'train', color: [0, 80, 100] },
  { trainId: 17, name: 'motorcycle', color: [0, 0, 230] },
  { trainId: 18, name: 'bicycle', color: [119, 11, 32] },
];

/** trainIds by name, so generator code reads `T.car` rather than a bare 13. */
export const TRAIN_ID = {
  road: 0,
  sidewalk: 1,
  building: 2,
  wall: 3,
  fence: 4,
  pole: 5,
  trafficLight: 6,
  trafficSign: 7,
  vegetation: 8,
  terrain: 9,
  sky: 10,
  person: 11,
  rider: 12,
  car: 13,
  truck: 14,
  bus: 15,
  train: 16,
  motorcycle: 17,
  bicycle: 18,
} as const;

export interface CityscapesLabel {
  readonly labelId: number;
  readonly name: string;
  /** 0..18, or VOID for classes the benchmark ignores. */
  readonly trainId: number;
}

/** All 34 labelIds plus the license plate (-1), as published with the data set. */
export const CITYSCAPES_LABELS: readonly CityscapesLabel[] = [
  { labelId: 0, name: 'unlabeled', trainId: VOID },
  { labelId: 1, name: 'ego vehicle', trainId: VOID },
  { labelId: 2, name: 'rectification border', trainId: VOID },
  { labelId: 3, name: 'out of roi', trainId: VOID },
  { labelId: 4, name: 'static', trainId: VOID },
  { labelId: 5, name: 'dynamic', trainId: VOID },
  { labelId: 6, name: 'ground', trainId: VOID },
  { labelId: 7, name: 'road', trainId: 0 },
  { labelId: 8, name: 'sidewalk', trainId: 1 },
  { labelId: 9, name: 'parking', trainId: VOID },
  { labelId: 10, name: 'rail track', trainId: VOID },
  { labelId: 11, name: 'building', trainId: 2 },
  { labelId: 12, name: 'wall', trainId: 3 },
  { labelId: 13, name: 'fence', trainId: 4 },
  { labelId: 14, name: 'guard rail', trainId: VOID },
  { labelId: 15, name: 'bridge', trainId: VOID },
  { labelId: 16, name: 'tunnel', trainId: VOID },
  { labelId: 17, name: 'pole', trainId: 5 },
  { labelId: 18, name: 'polegroup', trainId: VOID },
  { labelId: 19, name: 'traffic light', trainId: 6 },
  { labelId: 20, name: 'traffic sign', trainId: 7 },
  { labelId: 21, name: 'vegetation', trainId: 8 },
  { labelId: 22, name: 'terrain', trainId: 9 },
  { labelId: 23, name: 'sky', trainId: 10 },
  { labelId: 24, name: 'person', trainId: 11 },
  { labelId: 25, name: 'rider', trainId: 12 },
  { labelId: 26, name: 'car', trainId: 13 },
  { labelId: 27, name: 'truck', trainId: 14 },
  { labelId: 28, name: 'bus', trainId: 15 },
  { labelId: 29, name: 'caravan', trainId: VOID },
  { labelId: 30, name: 'trailer', trainId: VOID },
  { labelId: 31, name: 'train', trainId: 16 },
  { labelId: 32, name: 'motorcycle', trainId: 17 },
  { labelId: 33, name: 'bicycle', trainId: 18 },
  { labelId: -1, name: 'license plate', trainId: VOID },
];

/** labelId -> trainId; any id not in the official table is void. */
export function labelIdToTrainId(labelId: number): number {
  return LABEL_BY_ID.get(labelId)?.trainId ?? VOID;
}

const LABEL_BY_ID = new Map(CITYSCAPES_LABELS.map((l) => [l.labelId, l]));

/**
 * Lookup table for 8-bit label PNGs: entry v is the trainId of stored value v, or -1 when v is not an
 * official labelId. The license plate (-1) is stored as 255 in 8-bit files, so 255 maps to void.
 */
export const LABEL_PNG_LUT: Int16Array = (() => {
  const lut = new Int16Array(256).fill(-1);
  for (const l of CITYSCAPES_LABELS) lut[l.labelId & 0xff] = l.trainId;
  return lut;
})();

/** Palette colour of a trainId (void and anything unknown are black). */
export function classColor(trainId: number): Rgb {
  return CLASSES[trainId]?.color ?? VOID_COLOR;
}
