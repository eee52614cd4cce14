import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { filePairDataset, type FilePair } from './file_pair_dataset.js';
import { requireDir } from './require_dir.js';
import type { SegDataset } from './sample.js';

export type CityscapesSplit = 'train' | 'val' | 'test';

export interface CityscapesOptions {
  /** Folder holding `leftImg8bit/` and `gtFine/`. */
  readonly root: string;
  readonly split: CityscapesSplit;
  readonly height: number;
  readonly width: number;
  readonly aspect?: number;
}

const IMAGE_SUFFIX = '_leftImg8bit.png';
const LABEL_SUFFIX = '_gtFine_labelIds.png';

/**
 * Cityscapes fine annotations: `leftImg8bit/<split>/<city>/*_leftImg8bit.png` with
 * `gtFine/<split>/<city>/*_gtFine_labelIds.png`, in city then file name order. Every image must have its
 * label file; the listing is checked when the data set is opened, the pixels when a sample is read.
 */
export function cityscapes(opts: CityscapesOptions): SegDataset {
  const name = `cityscapes/${opts.split}`;
  if (!['train', 'val', 'test'].includes(opts.split)) throw new Error(`cityscapes: unknown split '${String(opts.split)}' (expected train, val or test)`);
  requireDir('cityscapes', opts.root, 'root');
  const imgDir = join(opts.root, 'leftImg8bit', opts.split);
  const lblDir = join(opts.root, 'gtFine', opts.split);
  requireDir('cityscapes', imgDir, 'image folder');
  requireDir('cityscapes', lblDir, 'label folder');
  const pairs: FilePair[] = [];
  for (const city of readdirSync(imgDir).sort()) {
    const cityDir = join(imgDir, city);
    if (!statSync(cityDir).isDirectory()) continue;
    for (const f of readdirSync(cityDir).sort()) {
      if (!f.endsWith(IMAGE_SUFFIX)) continue;
      const stem = f.slice(0, -IMAGE_SUFFIX.length);
      const label = join(lblDir, city, stem + LABEL_SUFFIX);
      if (!existsSync(label)) throw new Error(`cityscapes: label file '${label}' for image '${join(cityDir, f)}' does not exist`);
      pairs.push({ id: `${city}/${stem}`, image: join(cityDir, f), label });
    }
  }
  if (pairs.length === 0) throw new Error(`cityscapes: split '${opts.split}' is empty: no *${IMAGE_SUFFIX} under '${imgDir}'`);
  return filePairDataset(name, pairs, opts);
}
