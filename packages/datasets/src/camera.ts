/**
 * Pinhole camera over a flat ground plane, in metres: X to the right, Y up from the ground, Z forward.
 * Pixel (x, y) covers [x, x+1) x [y, y+1); the horizon is the image row of points at infinite depth.
 */
export class Camera {
  /** Nothing closer than this is drawn; polygons are clipped against it before projection. */
  static readonly NEAR = 0.5;

  constructor(
    /** Focal length in pixels. */
    readonly f: number,
    /** Column of the vanishing point (carries the yaw). */
    readonly cx: number,
    /** Row of the horizon. */
    readonly horizon: number,
    /** Height of the camera above the ground, metres. */
    readonly camHeight: number,
    readonly width: number,
    readonly height: number,
  ) {}

  px(X: number, Z: number): number {
    return this.cx + (this.f * X) / Z;
  }

  py(Y: number, Z: number): number {
    return this.horizon + (this.f * (this.camHeight - Y)) / Z;
  }

  /** Pixels per metre at depth Z. */
  scale(Z: number): number {
    return this.f / Z;
  }

  /** Depth of the ground seen at image row coordinate y (> horizon). */
  groundZ(y: number): number {
    return (this.f * this.camHeight) / Math.max(y - this.horizon, 1e-3);
  }

  /** Depth of the ground at the bottom edge of the frame: anything nearer is out of view. */
  get nearestGroundZ(): number {
    return this.groundZ(this.height);
  }

  /**
   * Projects a planar polygon given as [X, Y, Z, ...] after clipping it to Z >= NEAR; returns pixel
   * coordinates [x, y, ...] (empty when it lies entirely behind the near plane).
   */
  project(pts3: readonly number[]): number[] {
    const near = Camera.NEAR;
    const n = pts3.length / 3;
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const j = (i + 1) % n;
      const ax = pts3[3 * i], ay = pts3[3 * i + 1], az = pts3[3 * i + 2];
      const bx = pts3[3 * j], by = pts3[3 * j + 1], bz = pts3[3 * j + 2];
      const aIn = az >= near, bIn = bz >= near;
      if (aIn) out.push(this.px(ax, az), this.py(ay, az));
      if (aIn !== bIn) {
        const t = (near - az) / (bz - az);
        out.push(this.px(ax + (bx - ax) * t, near), this.py(ay + (by - ay) * t, near));
      }
    }
    return out;
  }

  /** A ground polygon [X, Z, ...] projected (Y = 0). */
  projectGround(ptsXZ: readonly number[]): number[] {
    const p3: number[] = [];
    for (let i = 0; i < ptsXZ.length; i += 2) p3.push(ptsXZ[i], 0, ptsXZ[i + 1]);
    return this.project(p3);
  }
}

/**
 * Paint on a face, given face-local coordinates in metres (u across, v up or along) and the pixel
 * footprint in metres along each (mu, mv), so repeated details can be box-filtered.
 */
export type FacePaint = (u: number, v: number, mu: number, mv: number, out: Float32Array) => void;

/** Converts a face paint on the plane Z = z (u = X - x0, v = Y) to a pixel paint. */
export function frontPaint(cam: Camera, z: number, x0: number, fp: FacePaint): (x: number, y: number, out: Float32Array) => void {
  const m = z / cam.f;
  return (x, y, out) => {
    out[4] = z;
    fp((x - cam.cx) * m - x0, cam.camHeight - (y - cam.horizon) * m, m, m, out);
  };
}

/** Converts a face paint on the plane X = xs (u = Z - z0, v = Y) to a pixel paint. */
export function sidePaint(cam: Camera, xs: number, z0: number, fp: FacePaint): (x: number, y: number, out: Float32Array) => void {
  const f = cam.f;
  return (x, y, out) => {
    let dx = x - cam.cx;
    // Pixels on the wrong side of the vanishing point only occur in the anti-aliasing fringe.
    if (dx * xs <= 0) dx = xs > 0 ? 1e-3 : -1e-3;
    const Z = Math.min((f * xs) / dx, 5000);
    const mv = Z / f;
    out[4] = Z;
    fp(Z - z0, cam.camHeight - (y - cam.horizon) * mv, (Z * Z) / (f * Math.abs(xs)), mv, out);
  };
}

/** Converts a face paint on the plane Y = yt (u = X - x0, v = Z - z0) to a pixel paint. */
export function topPaint(cam: Camera, yt: number, x0: number, z0: number, fp: FacePaint): (x: number, y: number, out: Float32Array) => void {
  const f = cam.f;
  const dh = cam.camHeight - yt;
  const adh = Math.max(Math.abs(dh), 1e-3);
  return (x, y, out) => {
    // Works for roofs below the camera and undersides above it; the fringe on the wrong side of the
    // horizon gets a far depth.
    let Z = (f * dh) / (y - cam.horizon);
    if (!(Z > 0) || Z > 5000) Z = 5000;
    const m = Z / f;
    out[4] = Z;
    fp((x - cam.cx) * m - x0, Z - z0, m, (Z * Z) / (f * adh), out);
  };
}
