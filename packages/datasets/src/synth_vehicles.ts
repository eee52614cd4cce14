import type { FacePaint } from './camera.js';
import { TRAIN_ID } from './classes.js';
import { convexHull } from './hull.js';
import { solid } from './raster.js';
import { drawBox } from './synth_box.js';
import {
  blendInto,
  cover,
  hazed,
  mixRgb,
  rectCover,
  scaleRgb,
  setRgb,
  type Light,
  type Rgb,
  type SceneCtx,
} from './synth_context.js';

export type VehicleKind = 'car' | 'truck' | 'bus' | 'train';

/**
 * A vehicle on the ground. `along`: driving parallel to the road, `x` is its centre and `z` the depth of
 * the end nearest the camera. `across`: crossing the view, `x` is the X of its left end and `z` the depth
 * of its centre line. `front` says whether the visible end is the vehicle's front (oncoming) or rear.
 */
export interface Vehicle {
  readonly kind: VehicleKind;
  readonly orient: 'along' | 'across';
  readonly x: number;
  readonly z: number;
  readonly front: boolean;
  readonly length: number;
  readonly width: number;
  readonly height: number;
  readonly color: Rgb;
  readonly accent: Rgb;
  /** 0..1 per-vehicle variation of details (window layout, lights). */
  readonly variant: number;
}

const CLS: Record<VehicleKind, number> = {
  car: TRAIN_ID.car,
  truck: TRAIN_ID.truck,
  bus: TRAIN_ID.bus,
  train: TRAIN_ID.train,
};

/** A box in the vehicle's frame: a along its length from the visible end, c across from the left. */
interface Part {
  readonly a0: number;
  readonly a1: number;
  readonly c0: number;
  readonly c1: number;
  readonly y0: number;
  readonly y1: number;
  readonly end: FacePaint;
  readonly flank: FacePaint;
  readonly roof?: FacePaint;
}

const TYRE: Rgb = [0.05, 0.05, 0.055];
const PLATE: Rgb = [0.88, 0.88, 0.84];
const TAIL: Rgb = [0.62, 0.06, 0.05];
const HEAD: Rgb = [0.92, 0.9, 0.8];
const DARK_TRIM: Rgb = [0.1, 0.1, 0.11];

/**
 * Window glass: dark, with the sky reflected more towards the top (a uniform, reflective region).
 * Returns a blender so that per-pixel painting allocates nothing.
 */
function glass(ctx: SceneCtx, v0: number, v1: number, reflect: number): (out: Float32Array, v: number, t: number) => void {
  const d0 = 0.07, d1 = 0.08, d2 = 0.1;
  const sky = mixRgb(ctx.skyHorizon, ctx.skyTop, 0.3);
  const span = v1 - v0;
  return (out, v, t) => {
    if (t <= 0) return;
    const m = reflect * Math.min(1, Math.max(0, (v - v0) / span));
    out[0] += (d0 + (sky[0] - d0) * m - out[0]) * t;
    out[1] += (d1 + (sky[1] - d1) * m - out[1]) * t;
    out[2] += (d2 + (sky[2] - d2) * m - out[2]) * t;
  };
}

function plain(c: Rgb): FacePaint {
  return (_u, _v, _mu, _mv, out) => setRgb(out, c);
}

function carParts(ctx: SceneCtx, v: Vehicle, c: Rgb): Part[] {
  const { length: L, width: W, height: H, front } = v;
  const beltline = 0.52 * H + 0.12;
  const g = glass(ctx, beltline, H, 0.35 + 0.4 * v.variant);
  const endBody: FacePaint = (u, vv, mu, mv, out) => {
    setRgb(out, c);
    blendInto(out, DARK_TRIM, cover(vv, mv, 0.2, 0.42) * 0.8);
    const lamp = front ? HEAD : TAIL;
    blendInto(out, lamp, rectCover(u, vv, mu, mv, 0.08, 0.36, beltline - 0.2, beltline - 0.06));
    blendInto(out, lamp, rectCover(u, vv, mu, mv, W - 0.36, W - 0.08, beltline - 0.2, beltline - 0.06));
    blendInto(out, PLATE, rectCover(u, vv, mu, mv, W / 2 - 0.26, W / 2 + 0.26, 0.42, 0.53));
    if (front) blendInto(out, DARK_TRIM, rectCover(u, vv, mu, mv, 0.45, W - 0.45, 0.56, beltline - 0.1));
  };
  const flankBody: FacePaint = (u, vv, mu, mv, out) => {
    setRgb(out, c);
    blendInto(out, DARK_TRIM, cover(vv, mv, 0.2, 0.36) * 0.7);
    blendInto(out, scaleRgb(c, 0.6), cover(u, mu, L * 0.47, L * 0.49) + cover(u, mu, L * 0.71, L * 0.725));
  };
  const roof: FacePaint = plain(scaleRgb(c, 1.05));
  const cabA0 = L * (front ? 0.3 : 0.22);
  const cabA1 = L * (front ? 0.78 : 0.72);
  const cabLen = cabA1 - cabA0;
  const endCab: FacePaint = (u, vv, mu, mv, out) => {
    setRgb(out, c);
    g(out, vv, rectCover(u, vv, mu, mv, 0.08, W - 0.24, beltline + 0.03, H - 0.06));
  };
  const flankCab: FacePaint = (u, vv, mu, mv, out) => {
    setRgb(out, c);
    const win = rectCover(u, vv, mu, mv, 0.1, cabLen - 0.15, beltline + 0.04, H - 0.07);
    const pillar = cover(u, mu, cabLen * 0.5 - 0.05, cabLen * 0.5 + 0.05);
    g(out, vv, win * (1 - pillar));
  };
  return [
    { a0: cabA0, a1: cabA1, c0: 0.08, c1: W - 0.08, y0: beltline, y1: H, end: endCab, flank: flankCab, roof },
    { a0: 0, a1: L, c0: 0, c1: W, y0: 0.2, y1: beltline, end: endBody, flank: flankBody, roof },
  ];
}

function truckParts(ctx: SceneCtx, v: Vehicle, c: Rgb, cargoColor: Rgb): Part[] {
  const { length: L, width: W, height: H, front } = v;
  const cabLen = 2.2;
  const cargoLen = L - cabLen - 0.2;
  const g = glass(ctx, 1.6, 2.7, 0.5);
  const cabEnd: FacePaint = (u, vv, mu, mv, out) => {
    setRgb(out, c);
    if (front) {
      g(out, vv, rectCover(u, vv, mu, mv, 0.12, W - 0.12, 1.65, 2.6));
      blendInto(out, DARK_TRIM, rectCover(u, vv, mu, mv, 0.3, W - 0.3, 0.75, 1.35));
      blendInto(out, HEAD, rectCover(u, vv, mu, mv, 0.1, 0.4, 0.65, 0.8) + rectCover(u, vv, mu, mv, W - 0.4, W - 0.1, 0.65, 0.8));
    }
  };
  const cabFlank: FacePaint = (u, vv, mu, mv, out) => {
    setRgb(out, c);
    g(out, vv, rectCover(u, vv, mu, mv, front ? 0.15 : cabLen - 1.2, front ? 1.2 : cabLen - 0.15, 1.7, 2.55));
  };
  const stripe = v.variant > 0.5;
  const cargoEnd: FacePaint = (u, vv, mu, mv, out) => {
    setRgb(out, cargoColor);
    blendInto(out, DARK_TRIM, cover(u, mu, W / 2 - 0.02, W / 2 + 0.02) + cover(vv, mv, 1.0, 1.08));
    blendInto(out, TAIL, rectCover(u, vv, mu, mv, 0.1, 0.35, 1.1, 1.22) + rectCover(u, vv, mu, mv, W - 0.35, W - 0.1, 1.1, 1.22));
  };
  const cargoFlank: FacePaint = (u, vv, mu, mv, out) => {
    setRgb(out, cargoColor);
    if (stripe) blendInto(out, c, cover(vv, mv, 1.8, 2.3));
    blendInto(out, scaleRgb(cargoColor, 0.8), cover(u % 1.2, mu, 0, 0.04) * 0.5);
  };
  const chassis: FacePaint = plain([0.12, 0.12, 0.13]);
  const roofC = plain(scaleRgb(cargoColor, 1.05));
  const cab = { c0: 0.05, c1: W - 0.05, y0: 0.55, y1: Math.min(H, 3.0), end: cabEnd, flank: cabFlank, roof: plain(c) };
  const cargo = { c0: 0, c1: W, y0: 0.95, y1: H, end: cargoEnd, flank: cargoFlank, roof: roofC };
  const chas = { a0: 0.3, a1: L - 0.3, c0: 0.2, c1: W - 0.2, y0: 0.45, y1: 0.95, end: chassis, flank: chassis };
  return front
    ? [chas, { ...cargo, a0: cabLen + 0.2, a1: L }, { ...cab, a0: 0, a1: cabLen }]
    : [chas, { ...cab, a0: cargoLen + 0.2, a1: L }, { ...cargo, a0: 0, a1: cargoLen }];
}

function busParts(ctx: SceneCtx, v: Vehicle, c: Rgb): Part[] {
  const { length: L, width: W, height: H, front } = v;
  const g = glass(ctx, 1.2, 2.7, 0.45);
  const pitch = 1.3 + 0.4 * v.variant;
  const end: FacePaint = (u, vv, mu, mv, out) => {
    setRgb(out, c);
    if (front) {
      g(out, vv, rectCover(u, vv, mu, mv, 0.08, W - 0.08, 1.0, H - 0.45));
      blendInto(out, [0.9, 0.55, 0.1], rectCover(u, vv, mu, mv, 0.3, W - 0.3, H - 0.38, H - 0.12));
      blendInto(out, HEAD, rectCover(u, vv, mu, mv, 0.12, 0.42, 0.45, 0.6) + rectCover(u, vv, mu, mv, W - 0.42, W - 0.12, 0.45, 0.6));
    } else {
      g(out, vv, rectCover(u, vv, mu, mv, 0.25, W - 0.25, 1.9, H - 0.35));
      blendInto(out, DARK_TRIM, rectCover(u, vv, mu, mv, 0.35, W - 0.35, 0.55, 1.2));
      blendInto(out, TAIL, rectCover(u, vv, mu, mv, 0.06, 0.22, 0.6, 1.4) + rectCover(u, vv, mu, mv, W - 0.22, W - 0.06, 0.6, 1.4));
    }
    blendInto(out, PLATE, rectCover(u, vv, mu, mv, W / 2 - 0.26, W / 2 + 0.26, 0.38, 0.49));
  };
  const flank: FacePaint = (u, vv, mu, mv, out) => {
    setRgb(out, c);
    blendInto(out, v.accent, cover(vv, mv, 0.3, 0.75));
    const band = cover(vv, mv, 1.25, 2.7) * (u > 0.6 && u < L - 0.4 ? 1 : 0);
    // Pillars between the side windows, box-filtered so far buses do not shimmer.
    const pillar = u > 0 ? periodicCoverM(u, mu, pitch, 0, 0.12) : 0;
    g(out, vv, band * (1 - pillar));
    g(out, vv, rectCover(u, vv, mu, mv, front ? 0.9 : L - 2.2, front ? 2.0 : L - 1.1, 0.35, 2.7));
  };
  return [{ a0: 0, a1: L, c0: 0, c1: W, y0: 0.3, y1: H, end, flank, roof: plain(scaleRgb(c, 1.02)) }];
}

function trainParts(ctx: SceneCtx, v: Vehicle, c: Rgb): Part[] {
  const { length: L, width: W, height: H } = v;
  const g = glass(ctx, 1.2, 2.6, 0.5);
  const end: FacePaint = (u, vv, mu, mv, out) => {
    setRgb(out, c);
    blendInto(out, v.accent, cover(vv, mv, 0.4, 1.0));
    g(out, vv, rectCover(u, vv, mu, mv, 0.15, W - 0.15, 1.3, H - 0.35));
    blendInto(out, HEAD, rectCover(u, vv, mu, mv, 0.2, 0.45, 0.8, 0.95) + rectCover(u, vv, mu, mv, W - 0.45, W - 0.2, 0.8, 0.95));
  };
  const flank: FacePaint = (u, vv, mu, mv, out) => {
    setRgb(out, c);
    blendInto(out, v.accent, cover(vv, mv, 0.4, 1.0));
    const pillar = u > 0 ? periodicCoverM(u, mu, 1.8, 0, 0.2) : 0;
    const joint = periodicCoverM(u, mu, L / 3, 0, 0.25);
    g(out, vv, cover(vv, mv, 1.25, 2.55) * (1 - pillar) * (1 - joint));
    blendInto(out, DARK_TRIM, joint * 0.8);
  };
  const bogie: FacePaint = plain([0.1, 0.1, 0.1]);
  return [
    { a0: 0.5, a1: L - 0.5, c0: 0.2, c1: W - 0.2, y0: 0, y1: 0.45, end: bogie, flank: bogie },
    { a0: 0, a1: L, c0: 0, c1: W, y0: 0.4, y1: H, end, flank, roof: plain(scaleRgb(c, 0.9)) },
  ];
}

/** periodicCover in face metres (footprint width m). */
function periodicCoverM(u: number, m: number, period: number, a: number, b: number): number {
  const h = Math.max(m / 2, 1e-6);
  if (2 * h >= period) return (b - a) / period;
  let t = u - a;
  t -= Math.floor(t / period) * period;
  const w = b - a;
  let c = Math.max(0, Math.min(t + h, w) - Math.max(t - h, 0));
  c += Math.max(0, Math.min(t + h, period + w) - Math.max(t - h, period));
  c += Math.max(0, Math.min(t + h, w - period) - Math.max(t - h, -period));
  return c / (2 * h);
}

function parts(ctx: SceneCtx, v: Vehicle, c: Rgb): Part[] {
  switch (v.kind) {
    case 'car':
      return carParts(ctx, v, c);
    case 'truck':
      return truckParts(ctx, v, c, hazed(ctx, v.accent, v.z));
    case 'bus':
      return busParts(ctx, v, c);
    case 'train':
      return trainParts(ctx, v, c);
  }
}

function wheelRadius(kind: VehicleKind): number {
  return kind === 'car' ? 0.31 : kind === 'train' ? 0.35 : 0.5;
}

function axles(v: Vehicle): number[] {
  const L = v.length;
  if (v.kind === 'car') return [0.75, L - 0.8];
  if (v.kind === 'train') return [];
  if (v.kind === 'bus') return v.front ? [2.4, L - 3.0] : [3.0, L - 2.4];
  return v.front ? [1.3, L - 2.4, L - 1.2] : [1.2, 2.4, L - 1.3];
}

/** Ground footprint [X, Z, ...] (for shadows and overlap checks). */
export function vehicleFootprint(v: Vehicle): number[] {
  if (v.orient === 'along') {
    const x0 = v.x - v.width / 2, x1 = v.x + v.width / 2;
    return [x0, v.z, x1, v.z, x1, v.z + v.length, x0, v.z + v.length];
  }
  const z0 = v.z - v.width / 2, z1 = v.z + v.width / 2;
  return [v.x, z0, v.x + v.length, z0, v.x + v.length, z1, v.x, z1];
}

/** Image-only shadow polygons on the ground: contact shadow and (when sunny) the cast one. */
export function vehicleShadows(light: Light, v: Vehicle): { poly: number[]; k: number }[] {
  const fp = vehicleFootprint(v);
  const out = [{ poly: grow(fp, 0.15), k: 0.55 }];
  if (light.sunny) {
    const h = v.height * 0.8;
    const pts = [...fp];
    for (let i = 0; i < fp.length; i += 2) pts.push(fp[i] + h * light.sx, fp[i + 1] + h * light.sz);
    out.push({ poly: convexHull(pts), k: 1 });
  }
  return out;
}

function grow(rect: number[], d: number): number[] {
  const x0 = Math.min(rect[0], rect[2]) - d, x1 = Math.max(rect[0], rect[2]) + d;
  const z0 = Math.min(rect[1], rect[5]) - d, z1 = Math.max(rect[1], rect[5]) + d;
  return [x0, z0, x1, z0, x1, z1, x0, z1];
}

export function drawVehicle(ctx: SceneCtx, v: Vehicle): void {
  const cls = CLS[v.kind];
  const nearZ = v.orient === 'along' ? v.z : v.z - v.width / 2;
  const c = hazed(ctx, v.color, Math.max(nearZ, 1));
  const ps = parts(ctx, v, c);
  const boxes = ps.map((p) => {
    const b =
      v.orient === 'along'
        ? { x0: v.x - v.width / 2 + p.c0, x1: v.x - v.width / 2 + p.c1, y0: p.y0, y1: p.y1, z0: v.z + p.a0, z1: v.z + p.a1 }
        : { x0: v.x + p.a0, x1: v.x + p.a1, y0: p.y0, y1: p.y1, z0: v.z - v.width / 2 + p.c0, z1: v.z - v.width / 2 + p.c1 };
    const paints = v.orient === 'along' ? { front: p.end, side: p.flank, top: p.roof } : { front: p.flank, side: p.end, top: p.roof };
    const cxz = Math.hypot((b.x0 + b.x1) / 2, (b.z0 + b.z1) / 2);
    return { b, paints, d: cxz };
  });
  // Parts are convex and disjoint: far-to-near by centre distance is a correct painter's order here.
  boxes.sort((p, q) => q.d - p.d);
  const { cam, r } = ctx;
  const r0 = wheelRadius(v.kind);
  const tyre = solid(TYRE[0], TYRE[1], TYRE[2]);
  if (v.orient === 'along' && v.kind !== 'train') {
    // Tyres seen end-on under the bumper of the nearest axle.
    const za = v.z + axles(v)[0] - r0;
    if (za > 0.5) {
      const s = cam.scale(za);
      r.depth = za;
      for (const xa of [v.x - v.width / 2 + 0.03, v.x + v.width / 2 - 0.3]) {
        r.rect(cam.px(xa, za), cam.py(2 * r0 * 0.95, za), cam.px(xa, za) + 0.27 * s, cam.py(0, za), cls, tyre);
      }
    }
  }
  for (const { b, paints } of boxes) drawBox(ctx, b, cls, paints);
  // Wheels on the flank that faces the camera.
  const rim = hazed(ctx, [0.55, 0.55, 0.56], nearZ);
  for (const a of axles(v)) {
    let cxp: number, cyp: number, rx: number, ry: number;
    if (v.orient === 'along') {
      const xs = v.x - v.width / 2 > 0 ? v.x - v.width / 2 : v.x + v.width / 2 < 0 ? v.x + v.width / 2 : NaN;
      const zc = v.z + a;
      if (Number.isNaN(xs) || zc - r0 < 0.5) continue;
      cxp = cam.px(xs, zc);
      cyp = cam.py(r0, zc);
      rx = Math.abs(cam.px(xs, zc - r0) - cam.px(xs, zc + r0)) / 2;
      ry = r0 * cam.scale(zc);
    } else {
      const zf = v.z - v.width / 2 - 0.01;
      if (zf < 0.5) continue;
      cxp = cam.px(v.x + a, zf);
      cyp = cam.py(r0, zf);
      rx = ry = r0 * cam.scale(zf);
    }
    r.depth = v.orient === 'along' ? v.z + a : v.z - v.width / 2;
    r.ellipse(cxp, cyp, rx, ry, cls, tyre);
    r.ellipse(cxp, cyp, rx * 0.55, ry * 0.55, cls, solid(rim[0], rim[1], rim[2]));
  }
  if (v.kind === 'train') drawPantograph(ctx, v, cls);
}

/** The thin roof current collector of a tram: a thin structure the label must follow. */
function drawPantograph(ctx: SceneCtx, v: Vehicle, cls: number): void {
  const { cam, r } = ctx;
  const a = v.length * 0.4;
  const pts3: [number, number, number][] =
    v.orient === 'along'
      ? [
          [v.x, v.height, v.z + a],
          [v.x, v.height + 0.9, v.z + a + 0.7],
          [v.x, v.height + 1.5, v.z + a + 0.1],
        ]
      : [
          [v.x + a, v.height, v.z],
          [v.x + a + 0.7, v.height + 0.9, v.z],
          [v.x + a + 0.1, v.height + 1.5, v.z],
        ];
  const col = hazed(ctx, [0.2, 0.2, 0.22], v.z);
  const paint = solid(col[0], col[1], col[2]);
  const pts: number[] = [];
  r.depth = pts3[0][2];
  for (const [X, Y, Z] of pts3) {
    if (Z < 0.5) return;
    pts.push(cam.px(X, Z), cam.py(Y, Z));
  }
  const w = Math.max(0.6, 0.05 * cam.scale(pts3[0][2]));
  r.polyline(pts, w, cls, paint);
  const [X, Y, Z] = pts3[2];
  const half = v.orient === 'along' ? 0.8 : 0.05;
  r.line(cam.px(X - half, Z), cam.py(Y, Z), cam.px(X + half, Z), cam.py(Y, Z), w, cls, paint);
}
