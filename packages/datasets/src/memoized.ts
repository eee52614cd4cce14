import type { Sample, SegDataset } from './sample.js';

/** Bytes one sample holds (float32 image + uint8 label). */
function sampleBytes(s: Sample): number {
  return s.image.byteLength + s.label.byteLength;
}

/**
 * The same data set, each sample made once and kept: a run draws every training image about
 * steps x batch / size times (2.4 times in the `cpu` preset) and every evaluation image at each
 * evaluation, and a synthetic street scene costs ~10 ms to draw. Samples are returned shared, so readers
 * must copy before changing them (`assembleBatch` copies). Beyond `maxBytes` further samples are made on
 * every call, so a large real data set cannot exhaust memory.
 */
export function memoized(dataset: SegDataset, maxBytes = 1 << 30): SegDataset {
  const kept = new Map<number, Sample>();
  let bytes = 0;
  return {
    name: dataset.name,
    size: dataset.size,
    height: dataset.height,
    width: dataset.width,
    ...(dataset.files ? { files: dataset.files } : {}),
    get(i: number): Sample {
      const hit = kept.get(i);
      if (hit) return hit;
      const s = dataset.get(i);
      if (bytes + sampleBytes(s) <= maxBytes) {
        kept.set(i, s);
        bytes += sampleBytes(s);
      }
      return s;
    },
  };
}
