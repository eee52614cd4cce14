import * as path from 'node:path';
import { datasetSpecFromName, openDataset, renderPreviewPng } from '@unpool/datasets';
import { writeFileAtomic } from '@unpool/results';
import { parse, UsageError } from '../args.js';

export const dataUsage = 'exp data preview --dataset synth-city|synth-kitti|cityscapes:<root>|kitti:<root> [--split val] [--n 8] [--columns 2] [--height 64 --width 192] [--out preview.png]';

function positiveInt(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag}: expected a positive integer, got '${value}'`);
  return n;
}

/** `exp data preview`: a PNG grid of images beside their colourised labels, to look at the data. */
export async function dataCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'preview') throw new UsageError(`usage: ${dataUsage}`);
  const { values } = parse('data preview', rest, {
    dataset: { type: 'string' },
    split: { type: 'string', default: 'val' },
    n: { type: 'string', default: '8' },
    columns: { type: 'string', default: '2' },
    height: { type: 'string', default: '64' },
    width: { type: 'string', default: '192' },
    out: { type: 'string', default: 'preview.png' },
  });
  if (!values.dataset) throw new UsageError(`usage: ${dataUsage}`);
  const split = values.split as 'train' | 'val' | 'test' | 'all';
  if (!['train', 'val', 'test', 'all'].includes(split)) throw new UsageError(`--split: expected train, val, test or all, got '${values.split}'`);
  const n = positiveInt('--n', values.n);
  const spec = datasetSpecFromName(values.dataset, { split, size: Math.max(n, 8) });
  const dataset = openDataset(spec, { height: positiveInt('--height', values.height), width: positiveInt('--width', values.width) });
  const png = renderPreviewPng({ dataset, n: Math.min(n, dataset.size), columns: positiveInt('--columns', values.columns) });
  const out = path.resolve(values.out!);
  writeFileAtomic(out, png);
  process.stdout.write(`wrote ${out}: ${Math.min(n, dataset.size)} images of ${dataset.name} (${dataset.height}x${dataset.width}) beside their labels\n`);
  return 0;
}
