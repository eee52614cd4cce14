/**
 * An image + label canvas with anti-aliased shape filling. Every shape is drawn with a per-pixel coverage
 * in [0,1]: the image is blended by it, and the label takes the shape's class where coverage >= 0.5. Both
 * come from the same number, so label borders sit exactly where the image edge is (to the pixel), which is
 * what a border-accuracy experiment needs. Drawing is back to front (painter's algorithm).
 */

/**
 * Writes the RGBA of a shape at pixel centre (x, y) into `out` (alpha is pre-set to 1). Alpha multiplies
 * the geometric coverage: see-through materials (fence mesh, ragged foliage, windows seen through) use it.
 * out[4] is the depth of the surface at that pixel, pre-set to the raster's current `depth`; paints of
 * slanted planes overwrite it with the exact value.
 */
export type Paint = (x: number, y: number, out: Float32Array) => void;

/** A label value for `fill*` calls; IMAGE_ONLY leaves the label untouched (glints, reflections). */
export const IMAGE_ONLY = -1;

/** Length of the overlap of the pixel footprint [c - 0.5, c + 0.5] with [a, b] (all in pixels). */
export function overlap1(c: number, a: number, b: number): number {
  const lo = c - 0.5 > a ? c - 0.5 : a;
  const hi = c + 0.5 < b ? c + 0.5 : b;
  return hi > lo ? hi - lo : 0;
}

/**
 * Fraction of a footprint of half-width `h` around `u` covered by [a, b) repeated with `period`. Used for
 * windows, fence bars, paving: when the footprint spans several periods it tends to the duty cycle, so
 * distant repeated detail turns into the right average colour instead of aliasing into moire.
 */
export function periodicCover(u: number, h: number, period: number, a: number, b: number): number {
  if (h <= 0) h = 1e-6;
  if (2 * h >= period) {
    // Several periods under the footprint: count whole periods plus the partial ends.
    const lo = u - h;
    const hi = u + h;
    return (primitiveCover(hi, period, a, b) - primitiveCover(lo, period, a, b)) / (2 * h);
  }
  // floor() rather than %: V8's float modulo is a slow library call, and this runs per pixel.
  let t = u - a;
  t -= Math.floor(t / period) * period;
  // t: position of u relative to the start of the nearest preceding interval.
  const w = b - a;
  const lo = t - h;
  const hi = t + h;
  let cov = Math.max(0, Math.min(hi, w) - Math.max(lo, 0));
  cov += Math.max(0, Math.min(hi, period + w) - Math.max(lo, period));
  cov += Math.max(0, Math.min(hi, w - period) - Math.max(lo, -period));
  return cov / (2 * h);
}

/** Measure of the periodic set [a,b)+k*period inside (-inf, x], up to a constant (an antiderivative). */
function primitiveCover(x: number, period: number, a: number, b: number): number {
  const w = b - a;
  const t = x - a;
  const k = Math.floor(t / period);
  const r = t - k * period;
  return k * w + (r < w ? r : w);
}

export class Raster {
  readonly image: Float32Array;
  readonly label: Uint8Array;
  /**
   * Depth (metres) of the surface that owns each pixel's label. Shapes are drawn roughly back to front for
   * clean anti-aliasing; the depth test makes occlusion right where that order cannot be (a tram crossing
   * behind the corner of a building drawn earlier).
   */
  readonly zbuf: Float32Array;
  /** Depth given to pixels of the shapes drawn next, unless their paint sets out[4]. */
  depth = 0;
  private readonly rgba = new Float32Array(5);
  // Edge-normal scratch for `polygon` (grown on demand), so drawing allocates nothing per shape.
  private nx = new Float64Array(16);
  private ny = new Float64Array(16);
  private nc = new Float64Array(16);
  private readonly span = new Float64Array(2);
  private readonly corners = new Float64Array(8);

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.image = new Float32Array(width * height * 3);
    this.label = new Uint8Array(width * height).fill(255);
    this.zbuf = new Float32Array(width * height).fill(Infinity);
  }

  /** Blends the paint at pixel (x, y) with geometric coverage `cov`, behind nearer surfaces. */
  private put(x: number, y: number, cov: number, cls: number, paint: Paint): void {
    const rgba = this.rgba;
    rgba[3] = 1;
    rgba[4] = this.depth;
    paint(x + 0.5, y + 0.5, rgba);
    const a = cov * rgba[3];
    if (a <= 0) return;
    const p = y * this.width + x;
    const d = rgba[4];
    // Tolerance: parts of one object (a rider on a bike, wheels on a flank) share a nominal depth.
    if (d > this.zbuf[p] * 1.02 + 0.1) return;
    const i = p * 3;
    const img = this.image;
    img[i] += (rgba[0] - img[i]) * a;
    img[i + 1] += (rgba[1] - img[i + 1]) * a;
    img[i + 2] += (rgba[2] - img[i + 2]) * a;
    if (cls >= 0 && a >= 0.5) {
      this.label[p] = cls;
      this.zbuf[p] = d;
    }
  }

  /** Paints rows [0, rows) completely (the background). */
  fillRows(rows: number, cls: number, paint: Paint): void {
    const n = Math.min(this.height, rows);
    for (let y = 0; y < n; y++) for (let x = 0; x < this.width; x++) this.put(x, y, 1, cls, paint);
  }

  /**
   * Fills a convex polygon given as [x0, y0, x1, y1, ...] in pixel units (either winding). Coverage is the
   * product over edges of each edge's clipped half-plane coverage: exact for axis-aligned rectangles and
   * close elsewhere; shapes under a pixel in area are capped at their area.
   */
  polygon(pts: ArrayLike<number>, cls: number, paint: Paint): void {
    const n = pts.length >> 1;
    if (n < 3) return;
    let area2 = 0;
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    for (let k = 0; k < n; k++) {
      const x0 = pts[2 * k], y0 = pts[2 * k + 1];
      const j = (k + 1) % n;
      area2 += x0 * pts[2 * j + 1] - pts[2 * j] * y0;
      if (x0 < minX) minX = x0;
      if (x0 > maxX) maxX = x0;
      if (y0 < minY) minY = y0;
      if (y0 > maxY) maxY = y0;
    }
    const area = Math.abs(area2) / 2;
    if (!(area > 1e-6)) return;
    const x0 = Math.max(0, Math.floor(minX - 1));
    const x1 = Math.min(this.width - 1, Math.ceil(maxX + 1));
    const y0 = Math.max(0, Math.floor(minY - 1));
    const y1 = Math.min(this.height - 1, Math.ceil(maxY + 1));
    if (x0 > x1 || y0 > y1) return;
    // Outward unit normals and offsets: signed distance of p to edge k is nx*px + ny*py - c.
    const sgn = area2 > 0 ? 1 : -1;
    if (n > this.nx.length) {
      this.nx = new Float64Array(n);
      this.ny = new Float64Array(n);
      this.nc = new Float64Array(n);
    }
    const nx = this.nx, ny = this.ny, nc = this.nc;
    let m = 0;
    for (let k = 0; k < n; k++) {
      const j = (k + 1) % n;
      const ex = pts[2 * j] - pts[2 * k], ey = pts[2 * j + 1] - pts[2 * k + 1];
      const len = Math.hypot(ex, ey);
      if (len < 1e-9) continue;
      // For counter-clockwise (in y-down pixel space, area2 > 0) polygons the outward normal is (ey, -ex).
      nx[m] = (sgn * ey) / len;
      ny[m] = (-sgn * ex) / len;
      nc[m] = nx[m] * pts[2 * k] + ny[m] * pts[2 * k + 1];
      m++;
    }
    const cap = area < 1 ? area : 1;
    for (let y = y0; y <= y1; y++) {
      const py = y + 0.5;
      if (!rowSpan(pts, n, y - 0.5, y + 1.5, this.span)) continue;
      const xa = Math.max(x0, Math.floor(this.span[0] - 1)), xb = Math.min(x1, Math.ceil(this.span[1] + 1));
      for (let x = xa; x <= xb; x++) {
        const px = x + 0.5;
        let cov = cap;
        for (let k = 0; k < m && cov > 0; k++) {
          const d = nx[k] * px + ny[k] * py - nc[k];
          if (d >= 0.5) cov = 0;
          else if (d > -0.5) cov *= 0.5 - d;
        }
        if (cov > 0) this.put(x, y, cov, cls, paint);
      }
    }
  }

  /** Axis-aligned rectangle [x0,x1) x [y0,y1) with exact box-filter coverage. */
  rect(x0: number, y0: number, x1: number, y1: number, cls: number, paint: Paint): void {
    if (x1 <= x0 || y1 <= y0) return;
    const xa = Math.max(0, Math.floor(x0)), xb = Math.min(this.width - 1, Math.ceil(x1) - 1);
    const ya = Math.max(0, Math.floor(y0)), yb = Math.min(this.height - 1, Math.ceil(y1) - 1);
    for (let y = ya; y <= yb; y++) {
      const cy = overlap1(y + 0.5, y0, y1);
      if (cy <= 0) continue;
      for (let x = xa; x <= xb; x++) {
        const c = cy * overlap1(x + 0.5, x0, x1);
        if (c > 0) this.put(x, y, c, cls, paint);
      }
    }
  }

  /**
   * A straight stroke from (xa, ya) to (xb, yb) of the given width, with square ends extended by half the
   * width so that polylines join. Coverage is the exact footprint overlap across the stroke times the one
   * along it, which keeps sub-pixel strokes (bicycle frames, fence wires) at their true weight.
   */
  line(xa: number, ya: number, xb: number, yb: number, width: number, cls: number, paint: Paint): void {
    const dx = xb - xa, dy = yb - ya;
    const len = Math.hypot(dx, dy);
    if (width <= 0) return;
    const hw = width / 2;
    const ux = len > 1e-9 ? dx / len : 1, uy = len > 1e-9 ? dy / len : 0;
    const x0 = Math.max(0, Math.floor(Math.min(xa, xb) - hw - 1));
    const x1 = Math.min(this.width - 1, Math.ceil(Math.max(xa, xb) + hw + 1));
    const y0 = Math.max(0, Math.floor(Math.min(ya, yb) - hw - 1));
    const y1 = Math.min(this.height - 1, Math.ceil(Math.max(ya, yb) + hw + 1));
    // The stroke's rectangle, to visit only the columns it can touch in each row.
    const c = this.corners;
    const ex = ux * (len + hw), ey = uy * (len + hw), bx = -ux * hw, by = -uy * hw, nx = -uy * (hw + 0.5), ny = ux * (hw + 0.5);
    c[0] = xa + bx + nx; c[1] = ya + by + ny;
    c[2] = xa + ex + nx; c[3] = ya + ey + ny;
    c[4] = xa + ex - nx; c[5] = ya + ey - ny;
    c[6] = xa + bx - nx; c[7] = ya + by - ny;
    for (let y = y0; y <= y1; y++) {
      const ry = y + 0.5 - ya;
      if (!rowSpan(c, 4, y - 0.5, y + 1.5, this.span)) continue;
      const xs = Math.max(x0, Math.floor(this.span[0] - 1)), xe = Math.min(x1, Math.ceil(this.span[1] + 1));
      for (let x = xs; x <= xe; x++) {
        const rx = x + 0.5 - xa;
        const along = rx * ux + ry * uy;
        const across = -rx * uy + ry * ux;
        const c = overlap1(across, -hw, hw) * overlap1(along, -hw, len + hw);
        if (c > 0) this.put(x, y, c, cls, paint);
      }
    }
  }

  /** Connected strokes through [x0, y0, x1, y1, ...]. */
  polyline(pts: ArrayLike<number>, width: number, cls: number, paint: Paint): void {
    for (let k = 0; k + 3 < pts.length; k += 2) this.line(pts[k], pts[k + 1], pts[k + 2], pts[k + 3], width, cls, paint);
  }

  /**
   * Filled ellipse; `ragged` (optional) returns a signed offset in pixels added to the edge distance, which
   * frays the outline (foliage) identically for the image and the label.
   */
  ellipse(cx: number, cy: number, rx: number, ry: number, cls: number, paint: Paint, ragged?: (x: number, y: number) => number): void {
    if (rx <= 0 || ry <= 0) return;
    const pad = ragged ? 3 : 1;
    const x0 = Math.max(0, Math.floor(cx - rx - pad)), x1 = Math.min(this.width - 1, Math.ceil(cx + rx + pad));
    const y0 = Math.max(0, Math.floor(cy - ry - pad)), y1 = Math.min(this.height - 1, Math.ceil(cy + ry + pad));
    const area = Math.PI * rx * ry;
    const cap = area < 1 ? area : 1;
    const irx2 = 1 / (rx * rx), iry2 = 1 / (ry * ry);
    // Pixels whose normalised radius is below this are at least `pad` + 0.5 pixels inside the outline.
    const innerK = Math.max(0, 1 - (pad + 0.5) / Math.min(rx, ry));
    const inner2 = innerK * innerK;
    for (let y = y0; y <= y1; y++) {
      const dy = y + 0.5 - cy;
      for (let x = x0; x <= x1; x++) {
        const dx = x + 0.5 - cx;
        const k2 = dx * dx * irx2 + dy * dy * iry2;
        if (k2 < inner2) {
          // Deep inside: fully covered whatever the fraying.
          this.put(x, y, cap, cls, paint);
          continue;
        }
        const k = Math.sqrt(k2);
        let sd: number;
        if (k < 1e-6) sd = -Math.min(rx, ry);
        else {
          const g = Math.sqrt(dx * dx * irx2 * irx2 + dy * dy * iry2 * iry2) / k;
          sd = (k - 1) / g;
        }
        if (ragged) sd += ragged(x + 0.5, y + 0.5);
        let cov = 0.5 - sd;
        if (cov <= 0) continue;
        if (cov > cap) cov = cap;
        this.put(x, y, cov, cls, paint);
      }
    }
  }

  /**
   * Union of discs [cx0, cy0, r0, cx1, ...] drawn in one pass (tree crowns): each pixel is painted once
   * with the coverage of the nearest outline, so overlapping parts cost nothing extra and blend cleanly.
   * `ragged` frays the outline as in `ellipse`.
   */
  discs(d: ArrayLike<number>, cls: number, paint: Paint, ragged?: (x: number, y: number) => number): void {
    const n = Math.floor(d.length / 3);
    if (n === 0) return;
    const pad = ragged ? 3 : 1;
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity, area = 0;
    for (let k = 0; k < n; k++) {
      const cx = d[3 * k], cy = d[3 * k + 1], r = d[3 * k + 2];
      minX = Math.min(minX, cx - r);
      maxX = Math.max(maxX, cx + r);
      minY = Math.min(minY, cy - r);
      maxY = Math.max(maxY, cy + r);
      area = Math.max(area, Math.PI * r * r);
    }
    const x0 = Math.max(0, Math.floor(minX - pad)), x1 = Math.min(this.width - 1, Math.ceil(maxX + pad));
    const y0 = Math.max(0, Math.floor(minY - pad)), y1 = Math.min(this.height - 1, Math.ceil(maxY + pad));
    const cap = area < 1 ? area : 1;
    for (let y = y0; y <= y1; y++) {
      const py = y + 0.5;
      for (let x = x0; x <= x1; x++) {
        const px = x + 0.5;
        let sd = Infinity;
        for (let k = 0; k < n; k++) {
          const dx = px - d[3 * k], dy = py - d[3 * k + 1];
          const s = Math.sqrt(dx * dx + dy * dy) - d[3 * k + 2];
          if (s < sd) sd = s;
        }
        if (sd > pad) continue;
        if (ragged && sd > -pad - 0.5) sd += ragged(px, py);
        let cov = 0.5 - sd;
        if (cov <= 0) continue;
        if (cov > cap) cov = cap;
        this.put(x, y, cov, cls, paint);
      }
    }
  }

  /** Elliptical ring (wheels, tyres) of the given stroke width, centred on the ellipse outline. */
  ring(cx: number, cy: number, rx: number, ry: number, width: number, cls: number, paint: Paint): void {
    if (rx <= 0 || ry <= 0 || width <= 0) return;
    const hw = width / 2;
    const x0 = Math.max(0, Math.floor(cx - rx - hw - 1)), x1 = Math.min(this.width - 1, Math.ceil(cx + rx + hw + 1));
    const y0 = Math.max(0, Math.floor(cy - ry - hw - 1)), y1 = Math.min(this.height - 1, Math.ceil(cy + ry + hw + 1));
    const irx2 = 1 / (rx * rx), iry2 = 1 / (ry * ry);
    for (let y = y0; y <= y1; y++) {
      const dy = y + 0.5 - cy;
      for (let x = x0; x <= x1; x++) {
        const dx = x + 0.5 - cx;
        const k = Math.sqrt(dx * dx * irx2 + dy * dy * iry2);
        let sd: number;
        if (k < 1e-6) sd = -Math.min(rx, ry);
        else sd = (k - 1) / (Math.sqrt(dx * dx * irx2 * irx2 + dy * dy * iry2 * iry2) / k);
        const cov = overlap1(sd, -hw, hw);
        if (cov > 0) this.put(x, y, cov, cls, paint);
      }
    }
  }

  /**
   * Darkens the image inside a convex polygon by per-channel factors (cast shadows); labels are left alone
   * because a shadow does not change what a surface is.
   */
  shade(pts: ArrayLike<number>, factor: readonly [number, number, number]): void {
    const f = factor;
    const img = this.image;
    const shadePaint: Paint = (x, y, out) => {
      // Reads the current pixel so that the blend in `put` multiplies it by the factor.
      const i = (Math.floor(y) * this.width + Math.floor(x)) * 3;
      out[0] = img[i] * f[0];
      out[1] = img[i + 1] * f[1];
      out[2] = img[i + 2] * f[2];
    };
    this.polygon(pts, IMAGE_ONLY, shadePaint);
  }

  /** Stroke variant of `shade` (shadows of poles and bars). */
  shadeLine(xa: number, ya: number, xb: number, yb: number, width: number, factor: readonly [number, number, number]): void {
    const img = this.image;
    const shadePaint: Paint = (x, y, out) => {
      const i = (Math.floor(y) * this.width + Math.floor(x)) * 3;
      out[0] = img[i] * factor[0];
      out[1] = img[i + 1] * factor[1];
      out[2] = img[i + 2] * factor[2];
    };
    this.line(xa, ya, xb, yb, width, IMAGE_ONLY, shadePaint);
  }
}

/** A constant-colour paint. */
export function solid(r: number, g: number, b: number, a = 1): Paint {
  return (_x, _y, out) => {
    out[0] = r;
    out[1] = g;
    out[2] = b;
    out[3] = a;
  };
}

/**
 * x-extent of a convex polygon's part inside the horizontal band [ya, yb], written to out; false when the
 * band misses it. Lets fills skip the empty corners of a slanted shape's bounding box.
 */
function rowSpan(pts: ArrayLike<number>, n: number, ya: number, yb: number, out: Float64Array): boolean {
  let lo = Infinity, hi = -Infinity;
  for (let k = 0; k < n; k++) {
    const j = k + 1 === n ? 0 : k + 1;
    let ax = pts[2 * k], ay = pts[2 * k + 1], bx = pts[2 * j], by = pts[2 * j + 1];
    if (ay > by) {
      const tx = ax, ty = ay;
      ax = bx; ay = by; bx = tx; by = ty;
    }
    if (by < ya || ay > yb) continue;
    const dy = by - ay;
    let x0 = ax, x1 = bx;
    if (dy > 1e-12) {
      const t0 = ay < ya ? (ya - ay) / dy : 0;
      const t1 = by > yb ? (yb - ay) / dy : 1;
      x0 = ax + (bx - ax) * t0;
      x1 = ax + (bx - ax) * t1;
    }
    if (x0 < lo) lo = x0;
    if (x0 > hi) hi = x0;
    if (x1 < lo) lo = x1;
    if (x1 > hi) hi = x1;
  }
  if (lo > hi) return false;
  out[0] = lo;
  out[1] = hi;
  return true;
}
