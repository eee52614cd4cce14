import * as fs from 'node:fs';
import * as path from 'node:path';
import { encode } from 'fast-png';
import { colorizeLabel } from '@unpool/datasets';
import { writeFileAtomic } from '@unpool/models';
import type { KeptImage } from './evaluate.js';
import type { SamplesIndex } from '@unpool/results';

function png(width: number, height: number, rgb: Uint8Array): Uint8Array {
  return encode({ width, height, data: rgb, channels: 3, depth: 8 });
}

function imageToRgb(image: Float32Array): Uint8Array {
  const out = new Uint8Array(image.length);
  for (let i = 0; i < image.length; i++) out[i] = Math.max(0, Math.min(255, Math.round(image[i] * 255)));
  return out;
}

/** Entropy as grey levels, scaled to ln(classes) so maps of different runs share one scale. */
function entropyToRgb(entropy: Float32Array, classes: number): Uint8Array {
  const max = Math.log(classes);
  const out = new Uint8Array(entropy.length * 3);
  entropy.forEach((h, i) => out.fill(Math.round(255 * Math.min(1, h / max)), 3 * i, 3 * i + 3));
  return out;
}

/** Writes input / truth / prediction (/ entropy) PNGs of the kept images and returns their index entry. */
export function writeSamples(
  dir: string,
  set: string,
  kept: KeptImage[],
  height: number,
  width: number,
  classes: number,
): SamplesIndex['sets'][number] {
  fs.mkdirSync(dir, { recursive: true });
  const images = kept.map((k) => {
    const base = `${set}-${String(k.index).padStart(3, '0')}`;
    const files = {
      input: `${base}-input.png`,
      truth: `${base}-truth.png`,
      prediction: `${base}-prediction.png`,
      entropy: k.entropy ? `${base}-entropy.png` : null,
    };
    writeFileAtomic(path.join(dir, files.input), png(width, height, imageToRgb(k.image)));
    writeFileAtomic(path.join(dir, files.truth), png(width, height, colorizeLabel(k.label)));
    writeFileAtomic(path.join(dir, files.prediction), png(width, height, colorizeLabel(predictionToLabel(k.prediction, classes))));
    if (k.entropy && files.entropy) writeFileAtomic(path.join(dir, files.entropy), png(width, height, entropyToRgb(k.entropy, classes)));
    return { index: k.index, id: k.id, miou: k.miou, files };
  });
  return { set, images };
}

/** The void channel (last) is shown in the void colour. */
function predictionToLabel(prediction: Uint8Array, classes: number): Uint8Array {
  return prediction.map((c) => (c === classes - 1 ? 255 : c));
}
