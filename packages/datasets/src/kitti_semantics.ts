import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { filePairDataset, type FilePair } from './file_pair_dataset.js';
import { requireDir } from './require_dir.js';
import type { SegDataset } from './sample.js';

export type KittiSplit = 'train' | 'val' | 'all';

export interface KittiOptions {
  /** Folder holding `training/image_2/` and `training/semantic/` (the KITTI semantics benchmark). */
  readonly root: string;
  readonly split: KittiSplit;
  readonly height: number;
  readonly width: number;
  readonly aspect?: number;
}

/**
 * Which sorted position goes to which split. KITTI publishes labels for its 200 training images only, so
 * a validation set is carved out deterministically: every fifth file in name order (positions 0, 5, 10,
 * ...) is `val`, the rest `train`; `all` keeps everything (the paper evaluates on KITTI as a whole).
 */
export function kittiSplitOf(position: number): 'train' | 'val' {
  return position % 5 === 0 ? 'val' : 'train';
}

export function kittiSemantics(opts: KittiOptions): SegDataset {
  const name = `kitti/${opts.split}`;
  if (!['train', 'val', 'all'].includes(opts.split)) throw new Error(`kitti: unknown split '${String(opts.split)}' (expected train, val or all)`);
  requireDir('kitti', opts.root, 'root');
  const imgDir = join(opts.root, 'training', 'image_2');
  const lblDir = join(opts.root, 'training', 'semantic');
  requireDir('kitti', imgDir, 'image folder');
  requireDir('kitti', lblDir, 'label folder');
  const files = readdirSync(imgDir).filter((f) => f.endsWith('.png')).sort();
  const pairs: FilePair[] = [];
  files.forEach((f, pos) => {
    if (opts.split !== 'all' && kittiSplitOf(pos) !== opts.split) return;
    const label = join(lblDir, f);
    if (!existsSync(label)) throw new Error(`kitti: label file '${label}' for image '${join(imgDir, f)}' does not exist`);
    pairs.push({ id: f.slice(0, -4), image: join(imgDir, f), label });
  });
  if (pairs.length === 0) throw new Error(`kitti: split '${opts.split}' is empty: no usable .png under '${imgDir}'`);
  return filePairDataset(name, pairs, opts);
}
