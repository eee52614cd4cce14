/** Convex hull of points [x0, y0, x1, y1, ...] (Andrew's monotone chain), as a flat polygon. */
export function convexHull(pts: readonly number[]): number[] {
  const n = pts.length >> 1;
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => pts[2 * a] - pts[2 * b] || pts[2 * a + 1] - pts[2 * b + 1]);
  const cross = (o: number, a: number, b: number): number =>
    (pts[2 * a] - pts[2 * o]) * (pts[2 * b + 1] - pts[2 * o + 1]) - (pts[2 * a + 1] - pts[2 * o + 1]) * (pts[2 * b] - pts[2 * o]);
  const lower: number[] = [];
  for (const i of idx) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], i) <= 0) lower.pop();
    lower.push(i);
  }
  const upper: number[] = [];
  for (let k = idx.length - 1; k >= 0; k--) {
    const i = idx[k];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], i) <= 0) upper.pop();
    upper.push(i);
  }
  const chain = lower.slice(0, -1).concat(upper.slice(0, -1));
  const out: number[] = [];
  for (const i of chain) out.push(pts[2 * i], pts[2 * i + 1]);
  return out;
}
