import { encode } from 'fast-png';
import { colorizeLabel } from './colorize_label.js';
import type { SegDataset } from './sample.js';

export interface PreviewOptions {
  readonly dataset: SegDataset;
  /** Number of samples, taken from index 0 (or `start`). */
  readonly n: number;
  /** Image+label pairs per row (default 2). */
  readonly columns?: number;
  readonly start?: number;
}

const GAP = 2;
const BACKGROUND = 255;

/**
 * A PNG contact sheet: each sample's image with its colourised label to the right, `columns` pairs per
 * row, on a white background, so a person can check that labels sit on the objects they name.
 */
export function renderPreviewPng(opts: PreviewOptions): Uint8Array {
  const { dataset, n } = opts;
  const columns = opts.columns ?? 2;
  const start = opts.start ?? 0;
  if (!Number.isInteger(n) || n <= 0) throw new Error(`renderPreviewPng: n must be a positive integer, got ${n}`);
  if (!Number.isInteger(columns) || columns <= 0) throw new Error(`renderPreviewPng: columns must be a positive integer, got ${columns}`);
  if (start + n > dataset.size) throw new Error(`renderPreviewPng: ${dataset.name} has ${dataset.size} samples, asked for ${start}..${start + n - 1}`);
  const { height: h, width: w } = dataset;
  const rows = Math.ceil(n / columns);
  const cols = Math.min(columns, n);
  const W = cols * (2 * w + GAP) + (cols - 1) * GAP * 2;
  const H = rows * h + (rows - 1) * GAP;
  const out = new Uint8Array(W * H * 3).fill(BACKGROUND);
  for (let k = 0; k < n; k++) {
    const s = dataset.get(start + k);
    const ox = (k % columns) * (2 * w + GAP + 2 * GAP);
    const oy = Math.floor(k / columns) * (h + GAP);
    const lab = colorizeLabel(s.label);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const si = (y * w + x) * 3;
        const di = ((oy + y) * W + ox + x) * 3;
        const dl = di + (w + GAP) * 3;
        for (let c = 0; c < 3; c++) {
          out[di + c] = Math.round(Math.min(1, Math.max(0, s.image[si + c])) * 255);
          out[dl + c] = lab[si + c];
        }
      }
    }
  }
  return encode({ width: W, height: H, data: out, channels: 3, depth: 8 });
}
