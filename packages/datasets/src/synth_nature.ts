import type { FacePaint } from './camera.js';
import { TRAIN_ID } from './classes.js';
import { solid, type Paint } from './raster.js';
import { drawBox } from './synth_box.js';
import { hazed, setRgb, type Rgb, type SceneCtx } from './synth_context.js';

/** A tree: trunk from the ground, crown made of overlapping blobs (metres, relative to the crown centre). */
export interface Tree {
  readonly x: number;
  readonly z: number;
  readonly trunkHeight: number;
  readonly trunkWidth: number;
  readonly crownY: number;
  readonly blobs: readonly { readonly dx: number; readonly dy: number; readonly r: number }[];
  readonly leaf: Rgb;
  readonly bark: Rgb;
}

/** Foliage paint: strong mid-frequency texture and a darker underside, lit from above. */
function leafPaint(ctx: SceneCtx, c: Rgb, top: number, bottom: number): Paint {
  const { mid, lo } = ctx;
  const span = Math.max(bottom - top, 1e-3);
  return (x, y, out) => {
    const t = Math.min(1, Math.max(0, (y - top) / span));
    const k = (1.15 - 0.45 * t) * (1 + 0.32 * mid.wrapped(x * 1.7, y * 1.7) + 0.12 * lo.at(x, y));
    setRgb(out, c, k);
  };
}

export function drawTree(ctx: SceneCtx, t: Tree): void {
  const { cam, r, mid } = ctx;
  if (t.z < 1) return;
  const s = cam.scale(t.z);
  const x = cam.px(t.x, t.z);
  r.depth = t.z;
  const bark = hazed(ctx, t.bark, t.z);
  r.line(x, cam.py(0, t.z), x, cam.py(t.trunkHeight + 0.5, t.z), Math.max(1, t.trunkWidth * s), TRAIN_ID.vegetation, solid(bark[0], bark[1], bark[2]));
  const leaf = hazed(ctx, t.leaf, t.z);
  let top = Infinity, bottom = -Infinity;
  for (const b of t.blobs) {
    top = Math.min(top, cam.py(t.crownY + b.dy + b.r, t.z));
    bottom = Math.max(bottom, cam.py(t.crownY + b.dy - b.r, t.z));
  }
  const paint = leafPaint(ctx, leaf, top, bottom);
  // Ragged crown outline (in pixels, bounded so tiny far trees keep their shape).
  const fray = Math.min(2.2, 0.5 + 0.08 * s);
  const ragged = (px: number, py: number): number => fray * mid.wrapped(px * 2.3 + 3, py * 2.3 + 5);
  const d: number[] = [];
  for (const b of t.blobs) d.push(cam.px(t.x + b.dx, t.z), cam.py(t.crownY + b.dy, t.z), b.r * s);
  r.discs(d, TRAIN_ID.vegetation, paint, ragged);
}

/** A hedge or bush row along the road: a leafy box. */
export interface Hedge {
  readonly x0: number;
  readonly x1: number;
  readonly z0: number;
  readonly z1: number;
  readonly height: number;
  readonly leaf: Rgb;
}

export function drawHedge(ctx: SceneCtx, h: Hedge): void {
  const leaf = hazed(ctx, h.leaf, Math.max(h.z0, 1));
  const { mid, lo } = ctx;
  const fp: FacePaint = (_u, v, _mu, _mv, out) => setRgb(out, leaf, v < 0.3 ? 0.85 : 1);
  const texture = (x: number, y: number): number => 1 + 0.32 * mid.wrapped(x * 1.7, y * 1.7) + 0.1 * lo.at(x, y);
  drawBox(ctx, { x0: h.x0, x1: h.x1, y0: 0, y1: h.height, z0: h.z0, z1: h.z1 }, TRAIN_ID.vegetation, { front: fp, side: fp, top: fp, texture });
}
