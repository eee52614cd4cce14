/**
 * Resize + centre crop to a target frame, as the paper did to bring Cityscapes to KITTI's frame: the
 * source is cropped centrally to the frame's aspect ratio, then scaled to the output size. Images use an
 * anti-aliased bilinear (triangle) filter whose support widens with the reduction factor, so a 2048-wide
 * photo shrunk to 192 averages instead of aliasing; labels use nearest neighbour (no invented classes).
 */

/** KITTI's frame, 1242 x 375. */
export const KITTI_ASPECT = 1242 / 375;

/** The crop window in source pixels (may be fractional). */
export interface CropBox {
  readonly x0: number;
  readonly y0: number;
  readonly width: number;
  readonly height: number;
}

/** Largest centred window of the given aspect (width / height) inside a srcW x srcH image. */
export function centerCropBox(srcHeight: number, srcWidth: number, aspect: number): CropBox {
  if (!(aspect > 0) || !Number.isFinite(aspect)) throw new Error(`centerCropBox: aspect must be a positive number, got ${aspect}`);
  if (srcWidth / srcHeight > aspect) {
    const width = srcHeight * aspect;
    return { x0: (srcWidth - width) / 2, y0: 0, width, height: srcHeight };
  }
  const height = srcWidth / aspect;
  return { x0: 0, y0: (srcHeight - height) / 2, width: srcWidth, height };
}

export interface ResizeCropOptions {
  /** Aspect ratio (width / height) of the crop; default KITTI_ASPECT. */
  readonly aspect?: number;
}

function checkSizes(fn: string, srcLen: number, srcH: number, srcW: number, ch: number, outH: number, outW: number): void {
  for (const [k, v] of [['srcHeight', srcH], ['srcWidth', srcW], ['outHeight', outH], ['outWidth', outW]] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new Error(`${fn}: ${k} must be a positive integer, got ${v}`);
  }
  if (srcLen !== srcH * srcW * ch) throw new Error(`${fn}: source has ${srcLen} values, expected ${srcH}x${srcW}x${ch} = ${srcH * srcW * ch}`);
}

interface Taps {
  readonly start: Int32Array;
  readonly count: Int32Array;
  readonly idx: Int32Array;
  readonly w: Float32Array;
  readonly max: number;
}

/** Triangle-filter taps mapping `out` samples onto [c0, c0 + len) of a source axis of size n. */
function taps(n: number, c0: number, len: number, out: number): Taps {
  const scale = len / out;
  const support = Math.max(1, scale);
  const max = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(out), count = new Int32Array(out);
  const idx = new Int32Array(out * max), w = new Float32Array(out * max);
  for (let o = 0; o < out; o++) {
    const centre = c0 + (o + 0.5) * scale - 0.5;
    const lo = Math.ceil(centre - support), hi = Math.floor(centre + support);
    let k = 0, sum = 0;
    start[o] = o * max;
    for (let i = lo; i <= hi && k < max; i++) {
      const wt = 1 - Math.abs(i - centre) / support;
      if (wt <= 0) continue;
      idx[o * max + k] = i < 0 ? 0 : i >= n ? n - 1 : i;
      w[o * max + k] = wt;
      sum += wt;
      k++;
    }
    if (k === 0) {
      idx[o * max] = Math.min(n - 1, Math.max(0, Math.round(centre)));
      w[o * max] = 1;
      sum = 1;
      k = 1;
    }
    for (let j = 0; j < k; j++) w[o * max + j] /= sum;
    count[o] = k;
  }
  return { start, count, idx, w, max };
}

/**
 * Crops an HWC image centrally to `aspect` and resizes it to outHeight x outWidth, dividing values by
 * `valueScale` (255 turns 8-bit input into [0,1]). Returns HWC float32.
 */
export function resizeCropImage(
  src: ArrayLike<number>,
  srcHeight: number,
  srcWidth: number,
  channels: number,
  outHeight: number,
  outWidth: number,
  opts: ResizeCropOptions & { readonly valueScale?: number } = {},
): Float32Array {
  checkSizes('resizeCropImage', src.length, srcHeight, srcWidth, channels, outHeight, outWidth);
  const box = centerCropBox(srcHeight, srcWidth, opts.aspect ?? KITTI_ASPECT);
  const inv = 1 / (opts.valueScale ?? 1);
  const tx = taps(srcWidth, box.x0, box.width, outWidth);
  const ty = taps(srcHeight, box.y0, box.height, outHeight);
  // Rows first: only the source rows some output row reads are filtered horizontally.
  const needed = new Uint8Array(srcHeight);
  for (let o = 0; o < outHeight; o++) for (let j = 0; j < ty.count[o]; j++) needed[ty.idx[ty.start[o] + j]] = 1;
  const tmp = new Float32Array(srcHeight * outWidth * channels);
  for (let y = 0; y < srcHeight; y++) {
    if (!needed[y]) continue;
    const row = y * srcWidth * channels;
    for (let o = 0; o < outWidth; o++) {
      const base = tx.start[o];
      for (let c = 0; c < channels; c++) {
        let acc = 0;
        for (let j = 0; j < tx.count[o]; j++) acc += src[row + tx.idx[base + j] * channels + c] * tx.w[base + j];
        tmp[(y * outWidth + o) * channels + c] = acc;
      }
    }
  }
  const out = new Float32Array(outHeight * outWidth * channels);
  for (let o = 0; o < outHeight; o++) {
    const base = ty.start[o];
    for (let x = 0; x < outWidth * channels; x++) {
      let acc = 0;
      for (let j = 0; j < ty.count[o]; j++) acc += tmp[ty.idx[base + j] * outWidth * channels + x] * ty.w[base + j];
      out[o * outWidth * channels + x] = acc * inv;
    }
  }
  return out;
}

/** Crops a label map centrally to `aspect` and resizes it with nearest neighbour (pixel-centre aligned). */
export function resizeCropLabel(src: Uint8Array, srcHeight: number, srcWidth: number, outHeight: number, outWidth: number, opts: ResizeCropOptions = {}): Uint8Array {
  checkSizes('resizeCropLabel', src.length, srcHeight, srcWidth, 1, outHeight, outWidth);
  const box = centerCropBox(srcHeight, srcWidth, opts.aspect ?? KITTI_ASPECT);
  const sx = new Int32Array(outWidth);
  for (let x = 0; x < outWidth; x++) sx[x] = Math.min(srcWidth - 1, Math.max(0, Math.floor(box.x0 + ((x + 0.5) * box.width) / outWidth)));
  const out = new Uint8Array(outHeight * outWidth);
  for (let y = 0; y < outHeight; y++) {
    const syy = Math.min(srcHeight - 1, Math.max(0, Math.floor(box.y0 + ((y + 0.5) * box.height) / outHeight)));
    const row = syy * srcWidth;
    for (let x = 0; x < outWidth; x++) out[y * outWidth + x] = src[row + sx[x]];
  }
  return out;
}
