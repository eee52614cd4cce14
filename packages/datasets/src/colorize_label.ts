import { CLASSES, VOID_COLOR } from './classes.js';

const PALETTE: Uint8Array = (() => {
  const p = new Uint8Array(256 * 3);
  for (let v = 0; v < 256; v++) {
    const c = CLASSES[v]?.color ?? VOID_COLOR;
    p.set(c, v * 3);
  }
  return p;
})();

/** Label map (trainIds, 255 void) -> 8-bit RGB in the official palette (void and unknown values black). */
export function colorizeLabel(label: Uint8Array): Uint8Array {
  const out = new Uint8Array(label.length * 3);
  for (let i = 0; i < label.length; i++) {
    const o = label[i] * 3;
    out[3 * i] = PALETTE[o];
    out[3 * i + 1] = PALETTE[o + 1];
    out[3 * i + 2] = PALETTE[o + 2];
  }
  return out;
}
