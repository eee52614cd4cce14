import { labelIdsToTrainIds, readImagePng, readLabelPng } from './png_io.js';
import { resizeCropImage, resizeCropLabel } from './resize_crop.js';
import { checkIndex, type SegDataset, type Sample } from './sample.js';

/** One photo and its labelIds map on disk. */
export interface FilePair {
  readonly id: string;
  readonly image: string;
  readonly label: string;
}

export interface FilePairOptions {
  readonly height: number;
  readonly width: number;
  /** Crop aspect (width / height) before resizing; default KITTI's frame. */
  readonly aspect?: number;
}

/**
 * A data set over (image, labelIds) PNG pairs, decoded, mapped to trainIds and resized/cropped on each
 * `get` (nothing is held in memory). Size mismatches and unknown labelIds are errors naming the file.
 */
export function filePairDataset(name: string, pairs: readonly FilePair[], opts: FilePairOptions): SegDataset {
  const { height, width } = opts;
  for (const [k, v] of [['height', height], ['width', width]] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new Error(`${name}: ${k} must be a positive integer, got ${v}`);
  }
  if (pairs.length === 0) throw new Error(`${name}: no image/label pairs found`);
  return {
    name,
    size: pairs.length,
    height,
    width,
    files: pairs.flatMap((p) => [p.image, p.label]),
    get(i: number): Sample {
      checkIndex(name, i, pairs.length);
      const pair = pairs[i];
      const img = readImagePng(pair.image);
      const ids = readLabelPng(pair.label);
      if (ids.width !== img.width || ids.height !== img.height) {
        throw new Error(`${pair.label}: label is ${ids.width}x${ids.height} but its image ${pair.image} is ${img.width}x${img.height}`);
      }
      const train = labelIdsToTrainIds(ids, pair.label);
      const aspect = opts.aspect;
      return {
        id: pair.id,
        image: resizeCropImage(img.data, img.height, img.width, 3, height, width, { aspect, valueScale: 255 }),
        label: resizeCropLabel(train, ids.height, ids.width, height, width, { aspect }),
        height,
        width,
      };
    },
  };
}
