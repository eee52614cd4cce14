/**
 * Cityscapes evaluation classes in trainId order, as Table 1 lists them. A local copy because
 * `@unpool/datasets` does not export `CLASSES` yet; the order is the contract of the 19-entry `iou`
 * arrays in result.json and metrics.jsonl.
 */
export const CLASS_NAMES: readonly string[] = [
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
];

/** Capitalised as the paper's Table 1 prints the row labels ("Traffic Light"). */
export function classLabel(name: string): string {
  return name.replace(/\b\w/g, (c) => c.toUpperCase());
}
