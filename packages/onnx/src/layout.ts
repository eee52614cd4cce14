/** [N,H,W,C] -> [N,C,H,W], flat. */
export function nhwcToNchw(data: ArrayLike<number>, [n, h, w, c]: readonly number[]): Float32Array {
  const out = new Float32Array(n * h * w * c);
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let k = 0; k < c; k++) out[((b * c + k) * h + y) * w + x] = data[((b * h + y) * w + x) * c + k];
      }
    }
  }
  return out;
}

/** [N,C,H,W] -> [N,H,W,C], flat; `nchw` is the source shape. */
export function nchwToNhwc(data: ArrayLike<number>, [n, c, h, w]: readonly number[]): Float32Array {
  const out = new Float32Array(n * h * w * c);
  for (let b = 0; b < n; b++) {
    for (let k = 0; k < c; k++) {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) out[((b * h + y) * w + x) * c + k] = data[((b * c + k) * h + y) * w + x];
      }
    }
  }
  return out;
}
