import { TRAIN_ID } from './classes.js';
import { convexHull } from './hull.js';
import { solid, type Paint } from './raster.js';
import { hazed, type Rgb, type SceneCtx } from './synth_context.js';

export interface Clothes {
  readonly top: Rgb;
  readonly legs: Rgb;
  readonly skin: Rgb;
  readonly hair: Rgb;
  /** Long coat: the torso reaches down over the thighs. */
  readonly coat: boolean;
}

/** A pedestrian standing or walking at ground point (x, z). */
export interface Person {
  readonly x: number;
  readonly z: number;
  readonly height: number;
  /** true: seen from the side (walking across), false: from front/back. */
  readonly side: boolean;
  /** Step phase in [-1, 1]: how far apart the feet and arms are. */
  readonly stride: number;
  readonly clothes: Clothes;
}

function paintOf(ctx: SceneCtx, c: Rgb, z: number): Paint {
  const h = hazed(ctx, c, z);
  return solid(h[0], h[1], h[2]);
}

export function drawPerson(ctx: SceneCtx, p: Person, cls: number = TRAIN_ID.person): void {
  const { cam, r } = ctx;
  if (p.z < 0.8) return;
  r.depth = p.z;
  const s = cam.scale(p.z);
  const x0 = cam.px(p.x, p.z);
  const y0 = cam.py(0, p.z);
  const H = p.height;
  const P = (u: number, h: number): [number, number] => [x0 + u * s, y0 - h * s];
  const legs = paintOf(ctx, p.clothes.legs, p.z);
  const top = paintOf(ctx, p.clothes.top, p.z);
  const skin = paintOf(ctx, p.clothes.skin, p.z);
  const hair = paintOf(ctx, p.clothes.hair, p.z);
  const limb = Math.max(0.55, 0.13 * s);
  const arm = Math.max(0.5, 0.085 * s);
  const hipY = 0.5 * H;
  const st = p.stride * (p.side ? 0.32 : 0.06);
  const hipHalf = p.side ? 0.03 : 0.09;
  for (const k of [-1, 1]) {
    const [hx, hy] = P(k * hipHalf, hipY);
    const [fx, fy] = P(k * (hipHalf + st) + (p.side ? 0 : k * 0.03), 0.05);
    r.line(hx, hy, fx, fy, limb, cls, legs);
  }
  const sh = p.side ? 0.12 : 0.2;
  const hp = p.side ? 0.11 : 0.16;
  const bottom = p.clothes.coat ? 0.33 * H : hipY - 0.03;
  const torso = [...P(-sh, 0.81 * H), ...P(sh, 0.81 * H), ...P(hp + (p.clothes.coat ? 0.03 : 0), bottom), ...P(-hp - (p.clothes.coat ? 0.03 : 0), bottom)];
  r.polygon(torso, cls, top);
  const swing = p.stride * (p.side ? 0.18 : 0.04);
  for (const k of [-1, 1]) {
    const [ax, ay] = P(k * (sh - 0.02), 0.79 * H);
    const [bx, by] = P(k * (sh + 0.03) - k * swing, 0.46 * H);
    r.line(ax, ay, bx, by, arm, cls, top);
    r.ellipse(bx, by, 0.045 * s, 0.05 * s, cls, skin);
  }
  r.line(...P(0, 0.81 * H), ...P(0, 0.86 * H), Math.max(0.5, 0.09 * s), cls, skin);
  const [hx, hy] = P(0, H - 0.11);
  r.ellipse(hx, hy, 0.085 * s, 0.11 * s, cls, skin);
  r.ellipse(hx + (p.side ? -0.02 * s : 0), hy - 0.045 * s, 0.088 * s, 0.07 * s, cls, hair);
}

export type BikeKind = 'bicycle' | 'motorcycle';

/** A two-wheeler, optionally ridden. `phi` is its heading in the ground plane (0 = +X, pi/2 = away). */
export interface Bike {
  readonly kind: BikeKind;
  readonly x: number;
  readonly z: number;
  readonly phi: number;
  readonly color: Rgb;
  readonly rider?: Clothes & { readonly helmet: Rgb };
}

interface Geometry {
  readonly wheelR: number;
  readonly tyre: number;
  readonly hubs: readonly [number, number];
}

const GEOM: Record<BikeKind, Geometry> = {
  bicycle: { wheelR: 0.34, tyre: 0.045, hubs: [-0.52, 0.52] },
  motorcycle: { wheelR: 0.31, tyre: 0.12, hubs: [-0.7, 0.7] },
};

export function drawBike(ctx: SceneCtx, b: Bike): void {
  const { cam, r } = ctx;
  if (b.z < 1.5) return;
  r.depth = b.z;
  const cls = b.kind === 'bicycle' ? TRAIN_ID.bicycle : TRAIN_ID.motorcycle;
  const c = Math.cos(b.phi), sn = Math.sin(b.phi);
  /** Bike frame (a along, l lateral, h up) to pixels. */
  const P = (a: number, h: number, l = 0): [number, number] => {
    const X = b.x + a * c - l * sn;
    const Z = b.z + a * sn + l * c;
    return [cam.px(X, Z), cam.py(h, Z)];
  };
  const s = cam.scale(b.z);
  const g = GEOM[b.kind];
  const tyre = paintOf(ctx, [0.05, 0.05, 0.05], b.z);
  const frame = paintOf(ctx, b.color, b.z);
  const tyreW = Math.max(0.6, g.tyre * s);
  const wheel = (a: number): void => {
    const [cx, cy] = P(a, g.wheelR);
    const [ax] = P(a - g.wheelR, g.wheelR);
    const [bx] = P(a + g.wheelR, g.wheelR);
    const rx = Math.abs(bx - ax) / 2;
    const ry = g.wheelR * s;
    if (rx < tyreW) r.line(cx, cy - ry, cx, cy + ry, Math.max(tyreW, 2 * rx), cls, tyre);
    else r.ring(cx, cy, rx, ry, tyreW, cls, tyre);
    if (b.kind === 'motorcycle' && rx > 1) r.ellipse(cx, cy, rx * 0.35, ry * 0.35, cls, paintOf(ctx, [0.4, 0.4, 0.42], b.z));
  };
  const tube = Math.max(0.55, (b.kind === 'bicycle' ? 0.04 : 0.07) * s);
  const ln = (p: [number, number], q: [number, number], w = tube, paint = frame): void => r.line(p[0], p[1], q[0], q[1], w, cls, paint);
  // Draw the half of the bike farther from the camera first.
  wheel(g.hubs[sn >= 0 ? 1 : 0]);
  if (b.kind === 'bicycle') {
    const rh = P(-0.52, 0.34), bb = P(-0.02, 0.3), st = P(-0.22, 0.86), ht = P(0.38, 0.86), hb = P(0.42, 0.7), fh = P(0.52, 0.34);
    ln(rh, st);
    ln(rh, bb);
    ln(bb, st);
    ln(bb, hb);
    ln(st, ht);
    ln(ht, fh);
    ln(st, P(-0.25, 0.95), tube * 1.2);
    r.line(...P(-0.34, 0.95), ...P(-0.14, 0.95), Math.max(0.55, 0.06 * s), cls, tyre);
    ln(ht, P(0.34, 1.0));
    ln(P(0.34, 1.0, -0.28), P(0.34, 1.0, 0.28), tube, tyre);
  } else {
    const pts: number[] = [];
    for (const [a, h] of [[-0.45, 0.3], [0.4, 0.32], [0.55, 0.82], [0.15, 0.98], [-0.65, 0.95], [-0.75, 0.62]] as const) {
      for (const l of [-0.18, 0.18]) pts.push(...P(a, h, l));
    }
    r.polygon(convexHull(pts), cls, frame);
    r.line(...P(-0.3, 0.45, 0.2), ...P(-0.8, 0.55, 0.2), Math.max(0.55, 0.08 * s), cls, paintOf(ctx, [0.5, 0.5, 0.52], b.z));
    ln(P(0.7, 0.31), P(0.5, 1.05), Math.max(0.55, 0.06 * s), paintOf(ctx, [0.35, 0.35, 0.37], b.z));
    ln(P(0.48, 1.05, -0.36), P(0.48, 1.05, 0.36), Math.max(0.55, 0.04 * s), tyre);
  }
  wheel(g.hubs[sn >= 0 ? 0 : 1]);
  if (b.rider) drawRider(ctx, b, P, s);
}

function drawRider(ctx: SceneCtx, b: Bike, P: (a: number, h: number, l?: number) => [number, number], s: number): void {
  const { r } = ctx;
  const cl = b.rider!;
  const cls = TRAIN_ID.rider;
  const moto = b.kind === 'motorcycle';
  const hip: [number, number] = moto ? [-0.3, 0.98] : [-0.25, 0.97];
  const shoulder: [number, number] = moto ? [0.02, 1.5] : [0.06, 1.52];
  const hand: [number, number] = moto ? [0.46, 1.05] : [0.33, 1.0];
  const legs = paintOf(ctx, cl.legs, b.z);
  const top = paintOf(ctx, cl.top, b.z);
  const limb = Math.max(0.55, 0.13 * s);
  for (const l of [-0.12, 0.12]) {
    const knee = P(moto ? 0.12 : 0.06, moto ? 0.72 : 0.62, l * 1.2);
    const foot = P(moto ? -0.12 : l > 0 ? 0.1 : -0.12, moto ? 0.38 : 0.3, l * 1.3);
    const h = P(hip[0], hip[1], l);
    r.line(h[0], h[1], knee[0], knee[1], limb, cls, legs);
    r.line(knee[0], knee[1], foot[0], foot[1], limb, cls, legs);
  }
  const pts: number[] = [];
  for (const l of [-0.18, 0.18]) {
    for (const d of [-0.1, 0.1]) {
      pts.push(...P(hip[0] + d, hip[1], l * 0.85), ...P(shoulder[0] + d, shoulder[1], l));
    }
  }
  r.polygon(convexHull(pts), cls, top);
  for (const l of [-0.2, 0.2]) {
    const a = P(shoulder[0], shoulder[1] - 0.03, l);
    const h = P(hand[0], hand[1], l * 1.3);
    r.line(a[0], a[1], h[0], h[1], Math.max(0.5, 0.085 * s), cls, top);
  }
  const [hx, hy] = P(shoulder[0] + 0.08, shoulder[1] + 0.17);
  const head = moto ? 0.14 : 0.11;
  r.ellipse(hx, hy, head * s * 0.85, head * s, cls, paintOf(ctx, moto ? cl.helmet : cl.skin, b.z));
  if (!moto) r.ellipse(hx, hy - 0.05 * s, 0.11 * s, 0.06 * s, cls, paintOf(ctx, cl.helmet, b.z));
}
