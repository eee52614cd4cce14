import type { Sample } from './sample.js';

/** Mirrors an HWC array left-right (any element type, any channel count). */
export function flipHorizontal<T extends Float32Array | Uint8Array>(src: T, height: number, width: number, channels: number): T {
  const out = new (src.constructor as { new (n: number): T })(src.length);
  for (let y = 0; y < height; y++) {
    const row = y * width * channels;
    for (let x = 0; x < width; x++) {
      const a = row + x * channels, b = row + (width - 1 - x) * channels;
      for (let c = 0; c < channels; c++) out[a + c] = src[b + c];
    }
  }
  return out;
}

/** The mirror image of a sample (augmentation): image and label flipped together. */
export function flipSample(s: Sample): Sample {
  return {
    ...s,
    id: `${s.id}#flip`,
    image: flipHorizontal(s.image, s.height, s.width, 3),
    label: flipHorizontal(s.label, s.height, s.width, 1),
  };
}
