import type { Rng } from './prng.js';

/**
 * Smooth value noise precomputed over the whole frame, in [-1, 1]. The cell size is given in pixels and
 * is derived from the frame width by the caller, so textures keep their scale relative to the scene when
 * the requested resolution changes.
 */
export class NoiseField {
  private readonly values: Float32Array;

  constructor(
    rng: Rng,
    readonly width: number,
    readonly height: number,
    cell: number,
  ) {
    const gw = Math.ceil(width / cell) + 2;
    const gh = Math.ceil(height / cell) + 2;
    const grid = new Float32Array(gw * gh);
    for (let i = 0; i < grid.length; i++) grid[i] = rng.next() * 2 - 1;
    const v = new Float32Array(width * height);
    const inv = 1 / cell;
    for (let y = 0; y < height; y++) {
      const gy = (y + 0.5) * inv;
      const iy = Math.floor(gy);
      let ty = gy - iy;
      ty = ty * ty * (3 - 2 * ty);
      for (let x = 0; x < width; x++) {
        const gx = (x + 0.5) * inv;
        const ix = Math.floor(gx);
        let tx = gx - ix;
        tx = tx * tx * (3 - 2 * tx);
        const a = grid[iy * gw + ix], b = grid[iy * gw + ix + 1];
        const c = grid[(iy + 1) * gw + ix], d = grid[(iy + 1) * gw + ix + 1];
        v[y * width + x] = (a + (b - a) * tx) * (1 - ty) + (c + (d - c) * tx) * ty;
      }
    }
    this.values = v;
  }

  /** Noise at a pixel-space point (clamped to the frame). */
  at(x: number, y: number): number {
    let ix = x | 0, iy = y | 0;
    if (ix < 0) ix = 0;
    else if (ix >= this.width) ix = this.width - 1;
    if (iy < 0) iy = 0;
    else if (iy >= this.height) iy = this.height - 1;
    return this.values[iy * this.width + ix];
  }

  /** Noise at any point, tiling the field (for textures in face or ground coordinates). */
  wrapped(x: number, y: number): number {
    let ix = Math.floor(x) % this.width, iy = Math.floor(y) % this.height;
    if (ix < 0) ix += this.width;
    if (iy < 0) iy += this.height;
    return this.values[iy * this.width + ix];
  }
}
