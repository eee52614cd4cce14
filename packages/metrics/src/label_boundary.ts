/**
 * Marks the boundary pixels of a label map: pixel p is on the boundary when it is valid and at least
 * one of its 4-neighbours is valid and carries a different label. Both sides of a label edge are marked,
 * so a boundary pixel always belongs to exactly one class (its own label), which is what makes per-class
 * boundary scores well defined. The image border is not a boundary.
 *
 * `valid` (1 = evaluate, 0 = skip) removes void ground-truth pixels: an edge between a class and void
 * is not a boundary, because void means "unknown", not a region the model could delineate, and a
 * predicted edge running through void must be dropped the same way to keep the comparison symmetric.
 *
 * Writes 1/0 into `out` (length height * width) and returns it.
 */
export function labelBoundary(
  labels: ArrayLike<number>,
  valid: ArrayLike<number>,
  height: number,
  width: number,
  out: Uint8Array = new Uint8Array(height * width),
): Uint8Array {
  const n = height * width;
  if (labels.length < n || valid.length < n || out.length < n) {
    throw new RangeError(
      `labelBoundary: need ${n} pixels (${height}x${width}), got labels ${labels.length}, ` +
        `valid ${valid.length}, out ${out.length}`,
    );
  }
  out.fill(0, 0, n);
  // Each edge is visited once (right and down neighbours) and marks both of its pixels.
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const p = row + x;
      if (!valid[p]) continue;
      const lp = labels[p];
      if (x + 1 < width) {
        const q = p + 1;
        if (valid[q] && labels[q] !== lp) {
          out[p] = 1;
          out[q] = 1;
        }
      }
      if (y + 1 < height) {
        const q = p + width;
        if (valid[q] && labels[q] !== lp) {
          out[p] = 1;
          out[q] = 1;
        }
      }
    }
  }
  return out;
}
