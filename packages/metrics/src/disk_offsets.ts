/**
 * Integer offsets (dy, dx) of a Euclidean disk: every offset with dy^2 + dx^2 <= radius^2, sorted
 * nearest first so that a "is anything within the radius?" scan usually stops after a few probes.
 * Returned flat as [dy0, dx0, dy1, dx1, ...].
 *
 * Probing a precomputed disk around each boundary pixel costs O(boundary pixels x disk area), which at
 * the radii used here (a few pixels) is cheaper and simpler than a distance transform.
 */
export function diskOffsets(radius: number): Int32Array {
  if (!Number.isFinite(radius) || radius < 0) {
    throw new RangeError(`diskOffsets: radius must be a finite number >= 0, got ${String(radius)}`);
  }
  const r = Math.floor(radius);
  // Tolerance on the squared radius so that e.g. radius = Math.SQRT2 includes the diagonal neighbours
  // despite rounding of SQRT2 * SQRT2.
  const limit = radius * radius + 1e-9;
  const offsets: [number, number, number][] = [];
  for (let dy = -r; dy <= r; dy++) {
    for (let dx = -r; dx <= r; dx++) {
      const d2 = dy * dy + dx * dx;
      if (d2 <= limit) offsets.push([d2, dy, dx]);
    }
  }
  offsets.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  const out = new Int32Array(offsets.length * 2);
  offsets.forEach(([, dy, dx], i) => {
    out[2 * i] = dy;
    out[2 * i + 1] = dx;
  });
  return out;
}
