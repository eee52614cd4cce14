import { CLASS_NAMES as OUTPUT_NAMES, NUM_CLASSES } from '@unpool/metrics';

/**
 * Cityscapes evaluation classes in trainId order, as Table 1 lists them: the order of the 19-entry `iou`
 * arrays in result.json and metrics.jsonl (metrics' list without its trailing void).
 */
export const CLASS_NAMES: readonly string[] = OUTPUT_NAMES.slice(0, NUM_CLASSES);

/** Capitalised as the paper's Table 1 prints the row labels ("Traffic Light"). */
export function classLabel(name: string): string {
  return name.replace(/\b\w/g, (c) => c.toUpperCase());
}
