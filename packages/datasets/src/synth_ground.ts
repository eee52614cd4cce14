import type { Camera } from './camera.js';
import { TRAIN_ID, VOID } from './classes.js';
import { overlap1, periodicCover } from './raster.js';
import { blendInto, cover, type Rgb, type SceneCtx } from './synth_context.js';

export type GroundKind = 'road' | 'sidewalk' | 'terrain' | 'parking';

const GROUND_CLASS: Record<GroundKind, number> = {
  road: TRAIN_ID.road,
  sidewalk: TRAIN_ID.sidewalk,
  terrain: TRAIN_ID.terrain,
  // Cityscapes labels parking areas `parking` (void): asphalt that the benchmark ignores.
  parking: VOID,
};

/** A band of ground between X = x0 and x1 (metres, either may be infinite). */
export interface GroundZone {
  readonly kind: GroundKind;
  readonly x0: number;
  readonly x1: number;
}

export interface LaneLine {
  readonly x: number;
  readonly dashed: boolean;
  readonly width: number;
}

/** The flat ground of a frame: zones across the road, a cross street, markings and colours. */
export interface GroundLayout {
  readonly zones: readonly GroundZone[];
  readonly roadX0: number;
  readonly roadX1: number;
  /** Cross street: between these depths the ground is road across the whole view. */
  readonly cross?: { readonly z0: number; readonly z1: number };
  readonly crosswalk?: { readonly z0: number; readonly z1: number };
  readonly lanes: readonly LaneLine[];
  readonly road: Rgb;
  readonly sidewalk: Rgb;
  readonly curb: Rgb;
  readonly terrain: Rgb;
  readonly parking: Rgb;
  readonly marking: Rgb;
  readonly tile: number;
}

/** Ground-plane position of a pixel and its footprint (metres per pixel across X and along Z). */
export interface GroundPoint {
  X: number;
  Z: number;
  mX: number;
  mZ: number;
}

/** A paint on the ground plane, for overlays (rails, puddles): fn gets ground coordinates. */
export function groundPaint(cam: Camera, fn: (g: GroundPoint, out: Float32Array) => void): (x: number, y: number, out: Float32Array) => void {
  const g: GroundPoint = { X: 0, Z: 0, mX: 0, mZ: 0 };
  return (x, y, out) => {
    const Z = cam.groundZ(y);
    g.Z = Z;
    g.X = ((x - cam.cx) * Z) / cam.f;
    g.mX = Z / cam.f;
    g.mZ = (Z * Z) / (cam.f * cam.camHeight);
    out[4] = Z;
    fn(g, out);
  };
}

/** The sky gradient with low-frequency clouds over the whole frame. */
export function drawSky(ctx: SceneCtx, cloudiness: number): void {
  const { r, cam, lo, mid, skyTop, skyHorizon } = ctx;
  const white: Rgb = [0.93, 0.94, 0.95];
  r.depth = Infinity;
  // Rows wholly below the horizon are ground, drawn over completely next.
  r.fillRows(Math.ceil(cam.horizon) + 1, TRAIN_ID.sky, (x, y, out) => {
    const t = Math.min(1, Math.max(0, (cam.horizon - y) / Math.max(cam.horizon, 1)));
    const tt = Math.sqrt(t);
    out[0] = skyHorizon[0] + (skyTop[0] - skyHorizon[0]) * tt;
    out[1] = skyHorizon[1] + (skyTop[1] - skyHorizon[1]) * tt;
    out[2] = skyHorizon[2] + (skyTop[2] - skyHorizon[2]) * tt;
    const c = cloudiness * Math.max(0, lo.wrapped(x * 0.7, y * 1.6) + 0.35 * mid.at(x, y) + 0.2);
    blendInto(out, white, Math.min(1, c));
  });
}

/**
 * Renders the ground rows below the horizon. Within a row every zone boundary is a known column, so the
 * horizontal coverage of each zone in a pixel is exact; the label takes the zone with most coverage.
 */
export function drawGround(ctx: SceneCtx, g: GroundLayout): void {
  const { r, cam, lo, mid } = ctx;
  const W = r.width, H = r.height;
  const img = r.image, lab = r.label, zbuf = r.zbuf;
  const rgb = new Float32Array(4);
  const acc = new Float32Array(3);
  const yStart = Math.max(0, Math.floor(cam.horizon));
  const p: GroundPoint = { X: 0, Z: 0, mX: 0, mZ: 0 };
  const zoneX0: number[] = [], zoneX1: number[] = [], zoneKind: GroundKind[] = [];
  for (let y = yStart; y < H; y++) {
    const top = Math.max(y, cam.horizon);
    const rowCov = y + 1 - top;
    if (rowCov <= 0) continue;
    const Z = Math.min(cam.groundZ((top + y + 1) / 2), 3000);
    const hazeT = 1 - Math.exp(-Z / ctx.hazeDistance);
    const inCross = g.cross !== undefined && Z >= g.cross.z0 && Z <= g.cross.z1;
    zoneX0.length = zoneX1.length = zoneKind.length = 0;
    if (inCross) {
      zoneX0.push(-Infinity);
      zoneX1.push(Infinity);
      zoneKind.push('road');
    } else {
      for (const zn of g.zones) {
        zoneX0.push(zn.x0 === -Infinity ? -Infinity : cam.px(zn.x0, Z));
        zoneX1.push(zn.x1 === Infinity ? Infinity : cam.px(zn.x1, Z));
        zoneKind.push(zn.kind);
      }
    }
    p.Z = Z;
    p.mX = Z / cam.f;
    p.mZ = (Z * Z) / (cam.f * cam.camHeight);
    let k0 = 0;
    for (let x = 0; x < W; x++) {
      while (k0 < zoneX1.length - 1 && zoneX1[k0] <= x) k0++;
      acc[0] = acc[1] = acc[2] = 0;
      let best = -1, bestCov = 0;
      const px = x + 0.5, py = y + 0.5;
      p.X = (px - cam.cx) * p.mX;
      for (let k = k0; k < zoneX0.length && zoneX0[k] < x + 1; k++) {
        const c = overlap1(px, zoneX0[k], zoneX1[k]);
        if (c <= 0) continue;
        paintZone(zoneKind[k], g, p, lo.at(px, py), mid.at(px, py), rgb);
        acc[0] += rgb[0] * c;
        acc[1] += rgb[1] * c;
        acc[2] += rgb[2] * c;
        if (c > bestCov) {
          bestCov = c;
          best = k;
        }
      }
      // The far background stands on the ground: ground beyond it stays hidden.
      if (Z > zbuf[y * W + x] * 1.02) continue;
      const i = (y * W + x) * 3;
      for (let ch = 0; ch < 3; ch++) {
        const v = acc[ch] + (ctx.haze[ch] - acc[ch]) * hazeT;
        img[i + ch] += (v - img[i + ch]) * rowCov;
      }
      if (rowCov >= 0.5 && best >= 0) {
        lab[y * W + x] = GROUND_CLASS[zoneKind[best]];
        zbuf[y * W + x] = Z;
      }
    }
  }
}

function paintZone(kind: GroundKind, g: GroundLayout, p: GroundPoint, nLo: number, nMid: number, out: Float32Array): void {
  switch (kind) {
    case 'road': {
      const k = 1 + 0.07 * nLo + 0.05 * nMid;
      out[0] = g.road[0] * k;
      out[1] = g.road[1] * k;
      out[2] = g.road[2] * k;
      if (p.X >= g.roadX0 - 0.5 && p.X <= g.roadX1 + 0.5) {
        for (const ln of g.lanes) {
          let c = cover(p.X, p.mX, ln.x - ln.width / 2, ln.x + ln.width / 2);
          if (c > 0 && ln.dashed) c *= periodicCover(p.Z, p.mZ / 2, 9, 0, 3);
          if (c > 0) blendInto(out, g.marking, c * 0.9);
        }
        if (g.crosswalk) {
          const c = cover(p.Z, p.mZ, g.crosswalk.z0, g.crosswalk.z1);
          if (c > 0) blendInto(out, g.marking, c * periodicCover(p.X, p.mX / 2, 1.0, 0, 0.5) * 0.9);
        }
      }
      return;
    }
    case 'sidewalk': {
      const k = 1 + 0.05 * nLo + 0.05 * nMid;
      out[0] = g.sidewalk[0] * k;
      out[1] = g.sidewalk[1] * k;
      out[2] = g.sidewalk[2] * k;
      const joint = Math.max(periodicCover(p.X, p.mX / 2, g.tile, 0, 0.03), periodicCover(p.Z, p.mZ / 2, g.tile, 0, 0.03));
      if (joint > 0) {
        const k2 = 1 - 0.25 * joint;
        out[0] *= k2;
        out[1] *= k2;
        out[2] *= k2;
      }
      const curb = Math.max(cover(p.X, p.mX, g.roadX0 - 0.18, g.roadX0), cover(p.X, p.mX, g.roadX1, g.roadX1 + 0.18));
      if (curb > 0) blendInto(out, g.curb, curb);
      return;
    }
    case 'terrain': {
      const k = 1 + 0.28 * nMid + 0.15 * nLo;
      out[0] = g.terrain[0] * k;
      out[1] = g.terrain[1] * k;
      out[2] = g.terrain[2] * k;
      return;
    }
    case 'parking': {
      const k = 1 + 0.06 * nLo + 0.05 * nMid;
      out[0] = g.parking[0] * k;
      out[1] = g.parking[1] * k;
      out[2] = g.parking[2] * k;
      const stall = periodicCover(p.Z, p.mZ / 2, 5.5, 0, 0.12);
      if (stall > 0) blendInto(out, g.marking, stall * 0.8);
      return;
    }
  }
}
