import type { Camera } from './camera.js';
import type { NoiseField } from './noise.js';
import type { Raster } from './raster.js';

export type Rgb = readonly [number, number, number];

/** Sun and sky light for one frame. */
export interface Light {
  readonly sunny: boolean;
  /** Ground offset of a shadow per metre of caster height (X, Z). */
  readonly sx: number;
  readonly sz: number;
  /** Multiplicative colour of cast shadows (bluish: lit by the sky only). */
  readonly shadow: Rgb;
  readonly ambient: number;
  readonly direct: number;
}

/** Everything a drawing function needs for one frame. */
export interface SceneCtx {
  readonly r: Raster;
  readonly cam: Camera;
  /** Low- and mid-frequency value noise over the frame (texture, foliage). */
  readonly lo: NoiseField;
  readonly mid: NoiseField;
  readonly light: Light;
  readonly haze: Rgb;
  readonly hazeDistance: number;
  readonly skyTop: Rgb;
  readonly skyHorizon: Rgb;
}

/**
 * Brightness factor of a vertical face with outward normal (nx, nz) in the ground plane; `up` faces
 * (roofs) get the elevation term. Lit and unlit sides of the same object differ, as in real sun.
 */
export function faceLight(ctx: SceneCtx, nx: number, nz: number, up = false): number {
  const { light } = ctx;
  if (up) return light.ambient + light.direct * 0.85;
  // The sun is opposite to where shadows fall.
  const len = Math.hypot(light.sx, light.sz) || 1;
  const d = -(nx * light.sx + nz * light.sz) / len;
  return light.ambient + light.direct * Math.max(0, d) * 0.9;
}

/** Blends a colour towards the haze colour with depth. */
export function hazed(ctx: SceneCtx, c: Rgb, Z: number): Rgb {
  const t = 1 - Math.exp(-Z / ctx.hazeDistance);
  return [c[0] + (ctx.haze[0] - c[0]) * t, c[1] + (ctx.haze[1] - c[1]) * t, c[2] + (ctx.haze[2] - c[2]) * t];
}

export function scaleRgb(c: Rgb, k: number): Rgb {
  return [c[0] * k, c[1] * k, c[2] * k];
}

export function mixRgb(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** Hash of two integers to [0, 1): per-window or per-tile variation without consuming the PRNG. */
export function cellHash(a: number, b: number, salt: number): number {
  let h = Math.imul(a | 0, 0x27d4eb2d) ^ Math.imul(b | 0, 0x165667b1) ^ Math.imul(salt | 0, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) / 4294967296;
}

/** Fraction of a footprint of width m centred on u that lies inside [a, b] (1D box filter). */
export function cover(u: number, m: number, a: number, b: number): number {
  const h = m > 1e-6 ? m / 2 : 1e-6;
  const lo = u - h > a ? u - h : a;
  const hi = u + h < b ? u + h : b;
  return hi > lo ? (hi - lo) / (2 * h) : 0;
}

/** Box-filtered coverage of the rectangle [u0,u1] x [v0,v1] in face coordinates. */
export function rectCover(u: number, v: number, mu: number, mv: number, u0: number, u1: number, v0: number, v1: number): number {
  const cu = cover(u, mu, u0, u1);
  return cu > 0 ? cu * cover(v, mv, v0, v1) : 0;
}

/** out = mix(out, c, t) on the RGB channels. */
export function blendInto(out: Float32Array, c: Rgb, t: number): void {
  if (t <= 0) return;
  out[0] += (c[0] - out[0]) * t;
  out[1] += (c[1] - out[1]) * t;
  out[2] += (c[2] - out[2]) * t;
}

export function setRgb(out: Float32Array, c: Rgb, k = 1): void {
  out[0] = c[0] * k;
  out[1] = c[1] * k;
  out[2] = c[2] * k;
}
