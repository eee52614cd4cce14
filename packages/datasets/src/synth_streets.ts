import { hashSeed } from './prng.js';
import { checkIndex, type SegDataset, type Sample } from './sample.js';
import { renderStreetScene } from './synth_scene.js';
import type { SynthStyle } from './synth_style.js';

export type SynthSplit = 'train' | 'val' | 'test';

export interface SynthStreetsOptions {
  readonly style: SynthStyle;
  readonly split: SynthSplit;
  readonly size: number;
  readonly height: number;
  readonly width: number;
  /** Default 0. Together with split, style and index it fully determines a sample. */
  readonly seed?: number;
}

/**
 * Procedural street scenes with Cityscapes trainIds: the embedded stand-in for Cityscapes (`city`) and
 * KITTI (`kitti`). Samples are rendered on demand at the requested resolution and never cached, so a
 * data set of any size costs no memory.
 */
export function synthStreets(opts: SynthStreetsOptions): SegDataset {
  const { style, split, size, height, width } = opts;
  const seed = opts.seed ?? 0;
  const name = `synth-${style}/${split}`;
  for (const [k, v] of [['size', size], ['height', height], ['width', width]] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new Error(`synthStreets: ${k} must be a positive integer, got ${v}`);
  }
  if (style !== 'city' && style !== 'kitti') throw new Error(`synthStreets: unknown style '${String(style)}' (expected city or kitti)`);
  if (split !== 'train' && split !== 'val' && split !== 'test') throw new Error(`synthStreets: unknown split '${String(split)}' (expected train, val or test)`);
  if (!Number.isFinite(seed)) throw new Error(`synthStreets: seed must be a finite number, got ${seed}`);
  return {
    name,
    size,
    height,
    width,
    get(i: number): Sample {
      checkIndex(name, i, size);
      const { image, label } = renderStreetScene(hashSeed('synth-streets', seed, split, style, i), style, width, height);
      return { id: `${name}/${i}`, image, label, height, width };
    },
  };
}
