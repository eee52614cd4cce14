import { NUM_CLASSES } from './classes.js';
import type { SegDataset } from './sample.js';

/**
 * Pixel fractions of the 19 classes and void (index 19) over a whole data set; they sum to 1. Values
 * that are neither a trainId nor void count as void.
 */
export function classFrequencies(dataset: SegDataset): number[] {
  const counts = new Float64Array(NUM_CLASSES + 1);
  let total = 0;
  for (let i = 0; i < dataset.size; i++) {
    const { label } = dataset.get(i);
    for (let p = 0; p < label.length; p++) {
      const v = label[p];
      counts[v < NUM_CLASSES ? v : NUM_CLASSES]++;
    }
    total += label.length;
  }
  return Array.from(counts, (c) => (total > 0 ? c / total : 0));
}
