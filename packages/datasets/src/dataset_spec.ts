import { z } from 'zod';
import { cityscapes } from './cityscapes.js';
import { kittiSemantics } from './kitti_semantics.js';
import type { SegDataset } from './sample.js';
import { synthStreets } from './synth_streets.js';

/**
 * Which data a run uses, as plain data (it goes into experiment configs and run records). Validated at
 * the edge with zod; the experiment schema reuses `datasetSpecSchema`.
 */
export const datasetSpecSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('synth'),
    style: z.enum(['city', 'kitti']),
    split: z.enum(['train', 'val', 'test']),
    size: z.number().int().positive(),
    seed: z.number().int().optional(),
  }),
  z.strictObject({
    kind: z.literal('cityscapes'),
    root: z.string().min(1),
    split: z.enum(['train', 'val', 'test']),
  }),
  z.strictObject({
    kind: z.literal('kitti'),
    root: z.string().min(1),
    split: z.enum(['train', 'val', 'all']),
  }),
]);

export type DatasetSpec = z.infer<typeof datasetSpecSchema>;

export const frameSchema = z.strictObject({
  height: z.number().int().positive(),
  width: z.number().int().positive(),
});

export type Frame = z.infer<typeof frameSchema>;

function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}

/** Validates a spec and opens it at the given frame size. */
export function openDataset(spec: unknown, frame: Frame): SegDataset {
  const parsed = datasetSpecSchema.safeParse(spec);
  if (!parsed.success) throw new Error(`openDataset: invalid dataset spec ${JSON.stringify(spec)}: ${formatIssues(parsed.error)}`);
  const f = frameSchema.safeParse(frame);
  if (!f.success) throw new Error(`openDataset: invalid frame ${JSON.stringify(frame)}: ${formatIssues(f.error)}`);
  const s = parsed.data;
  const { height, width } = f.data;
  switch (s.kind) {
    case 'synth':
      return synthStreets({ style: s.style, split: s.split, size: s.size, seed: s.seed, height, width });
    case 'cityscapes':
      return cityscapes({ root: s.root, split: s.split, height, width });
    case 'kitti':
      return kittiSemantics({ root: s.root, split: s.split, height, width });
  }
}

export interface NameDefaults {
  /**
   * Split to use. `all` exists only for KITTI; KITTI has no labelled test split, so `test` means all 200
   * labelled images there (the paper's use of KITTI as a test set).
   */
  readonly split: 'train' | 'val' | 'test' | 'all';
  /** Synthetic data set size (default 200). */
  readonly size?: number;
  readonly seed?: number;
}

/**
 * Parses a short data set name as used on command lines: `synth-city`, `synth-kitti`,
 * `cityscapes:<root>`, `kitti:<root>`.
 */
export function datasetSpecFromName(name: string, d: NameDefaults): DatasetSpec {
  const colon = name.indexOf(':');
  const head = colon < 0 ? name : name.slice(0, colon);
  const root = colon < 0 ? '' : name.slice(colon + 1);
  let spec: unknown;
  if (head === 'synth-city' || head === 'synth-kitti') {
    if (colon >= 0) throw new Error(`datasetSpecFromName: '${name}': synthetic data sets take no path`);
    spec = { kind: 'synth', style: head === 'synth-city' ? 'city' : 'kitti', split: d.split, size: d.size ?? 200, ...(d.seed !== undefined ? { seed: d.seed } : {}) };
  } else if (head === 'cityscapes') {
    spec = { kind: 'cityscapes', root, split: d.split };
  } else if (head === 'kitti') {
    spec = { kind: 'kitti', root, split: d.split === 'test' ? 'all' : d.split };
  } else {
    throw new Error(`datasetSpecFromName: unknown data set '${name}' (expected synth-city, synth-kitti, cityscapes:<root> or kitti:<root>)`);
  }
  const parsed = datasetSpecSchema.safeParse(spec);
  if (!parsed.success) throw new Error(`datasetSpecFromName: '${name}': ${formatIssues(parsed.error)}`);
  return parsed.data;
}
