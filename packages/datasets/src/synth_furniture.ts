import { Camera, sidePaint, type FacePaint } from './camera.js';
import { TRAIN_ID, VOID } from './classes.js';
import { periodicCover, solid, type Paint } from './raster.js';
import { drawBox } from './synth_box.js';
import { blendInto, cellHash, cover, faceLight, hazed, rectCover, setRgb, type Rgb, type SceneCtx } from './synth_context.js';

function paintOf(ctx: SceneCtx, c: Rgb, z: number, k = 1): Paint {
  const h = hazed(ctx, c, z);
  return solid(h[0] * k, h[1] * k, h[2] * k);
}

/** Screen width of a thin vertical structure: physical, but never under one pixel so it stays labelled. */
function thinWidth(ctx: SceneCtx, metres: number, z: number, min = 1): number {
  return Math.max(min, metres * ctx.cam.scale(z));
}

export type SignShape = 'prohibitory' | 'mandatory' | 'warning' | 'info' | 'direction' | 'priority' | 'back';

export interface Sign {
  readonly shape: SignShape;
  /** Height of the sign centre above the ground. */
  readonly y: number;
  readonly size: number;
  readonly color: Rgb;
}

/** A pole (sign post, street lamp or traffic light post) standing at (x, z). */
export interface Pole {
  readonly x: number;
  readonly z: number;
  readonly height: number;
  readonly width: number;
  readonly color: Rgb;
  readonly signs: readonly Sign[];
  /** Horizontal arm at the top towards the road (+1 right, -1 left), metres long; street lamps, masts. */
  readonly arm?: { readonly dir: number; readonly length: number; readonly lamp: boolean };
  /** Traffic lights on this pole: on the pole (at `y`) or hanging from the arm (`along` metres out). */
  readonly lights: readonly TrafficLight[];
}

export interface TrafficLight {
  readonly along: number;
  readonly y: number;
  /** 0 red, 1 amber, 2 green; -1: seen from behind. */
  readonly state: number;
  readonly housing: Rgb;
}

export function drawPole(ctx: SceneCtx, p: Pole): void {
  const { cam, r } = ctx;
  if (p.z < 1) return;
  r.depth = p.z;
  const paint = paintOf(ctx, p.color, p.z, faceLight(ctx, -Math.sign(p.x) || 1, -0.5) * 0.9);
  const x = cam.px(p.x, p.z);
  r.line(x, cam.py(0, p.z), x, cam.py(p.height, p.z), thinWidth(ctx, p.width, p.z), TRAIN_ID.pole, paint);
  if (p.arm) {
    const xe = p.x + p.arm.dir * p.arm.length;
    const ye = p.height - 0.15;
    r.line(x, cam.py(p.height - 0.3, p.z), cam.px(xe, p.z), cam.py(ye, p.z), thinWidth(ctx, p.width * 0.6, p.z, 0.8), TRAIN_ID.pole, paint);
    if (p.arm.lamp) {
      const s = cam.scale(p.z);
      const lx = cam.px(xe, p.z);
      r.ellipse(lx, cam.py(ye - 0.08, p.z), 0.35 * s, 0.12 * s, TRAIN_ID.pole, paint);
    }
  }
  for (const sg of p.signs) drawSign(ctx, p, sg);
  for (const tl of p.lights) drawTrafficLight(ctx, p, tl);
}

function drawSign(ctx: SceneCtx, p: Pole, sg: Sign): void {
  const { cam, r } = ctx;
  const z = p.z - 0.05;
  r.depth = z;
  const s = cam.scale(z);
  const cx = cam.px(p.x, z), cy = cam.py(sg.y, z);
  const R = (sg.size / 2) * s;
  const cls = TRAIN_ID.trafficSign;
  const white = paintOf(ctx, [0.86, 0.86, 0.84], z);
  const col = paintOf(ctx, sg.color, z);
  switch (sg.shape) {
    case 'prohibitory':
      r.ellipse(cx, cy, R, R, cls, col);
      r.ellipse(cx, cy, R * 0.72, R * 0.72, cls, white);
      break;
    case 'mandatory':
      r.ellipse(cx, cy, R, R, cls, col);
      r.line(cx, cy + R * 0.5, cx, cy - R * 0.5, Math.max(0.4, R * 0.2), cls, white);
      break;
    case 'warning':
      r.polygon([cx, cy - R * 1.1, cx + R, cy + R * 0.75, cx - R, cy + R * 0.75], cls, col);
      r.polygon([cx, cy - R * 0.55, cx + R * 0.58, cy + R * 0.48, cx - R * 0.58, cy + R * 0.48], cls, white);
      break;
    case 'info':
      r.rect(cx - R, cy - R, cx + R, cy + R, cls, col);
      r.rect(cx - R * 0.3, cy - R * 0.5, cx + R * 0.3, cy + R * 0.5, cls, white);
      break;
    case 'direction':
      r.rect(cx - R * 1.6, cy - R * 0.6, cx + R * 1.6, cy + R * 0.6, cls, col);
      r.rect(cx - R * 1.3, cy - R * 0.1, cx + R * 1.0, cy + R * 0.1, cls, white);
      break;
    case 'priority':
      r.polygon([cx, cy - R, cx + R, cy, cx, cy + R, cx - R, cy], cls, white);
      r.polygon([cx, cy - R * 0.65, cx + R * 0.65, cy, cx, cy + R * 0.65, cx - R * 0.65, cy], cls, col);
      break;
    case 'back':
      r.ellipse(cx, cy, R, R, cls, paintOf(ctx, [0.5, 0.5, 0.52], z));
      break;
  }
}

function drawTrafficLight(ctx: SceneCtx, p: Pole, tl: TrafficLight): void {
  const { cam, r } = ctx;
  const cls = TRAIN_ID.trafficLight;
  const X = p.arm ? p.x + p.arm.dir * tl.along : p.x;
  const w = 0.34, h = 0.95;
  const housing = hazed(ctx, tl.housing, p.z);
  const face: FacePaint = (_u, _v, _mu, _mv, out) => setRgb(out, housing);
  const z0 = p.z - 0.35;
  if (z0 < Camera.NEAR) return;
  drawBox(ctx, { x0: X - w / 2, x1: X + w / 2, y0: tl.y, y1: tl.y + h, z0, z1: p.z - 0.05 }, cls, { front: face, side: face, top: face });
  if (tl.state < 0) return;
  r.depth = z0 - 0.01;
  const s = cam.scale(z0);
  // A dark back plate makes lights readable against the sky, as on real signals.
  const lamps: Rgb[] = [[0.95, 0.12, 0.08], [1.0, 0.7, 0.1], [0.2, 0.95, 0.55]];
  for (let k = 0; k < 3; k++) {
    const lit = k === tl.state;
    const c: Rgb = lit ? lamps[k] : [0.09, 0.09, 0.09];
    const cy = cam.py(tl.y + h - 0.18 - k * 0.3, z0 - 0.01);
    r.ellipse(cam.px(X, z0 - 0.01), cy, 0.1 * s, 0.1 * s, cls, paintOf(ctx, c, z0));
  }
}

export type FenceKind = 'bars' | 'mesh' | 'guardrail';

/** A fence in the plane X = x from z0 to z1 (parallel to the road). */
export interface Fence {
  readonly kind: FenceKind;
  readonly x: number;
  readonly z0: number;
  readonly z1: number;
  readonly height: number;
  readonly color: Rgb;
  /** Bar spacing and width (bars), metres. */
  readonly pitch: number;
  readonly bar: number;
}

/**
 * Fences are drawn as one see-through plane whose opacity is the box-filtered coverage of bars, rails and
 * posts: near bars come out as 1-2 px strokes, far ones blend into a faint texture, and the label keeps
 * only pixels that are at least half fence, as a high-resolution annotation would after downsampling.
 */
export function drawFence(ctx: SceneCtx, f: Fence): void {
  const { cam, r } = ctx;
  if (f.z1 <= Camera.NEAR || Math.abs(f.x) < 0.3) return;
  const za = Math.max(f.z0, Camera.NEAR);
  const col = hazed(ctx, f.color, (f.z0 + f.z1) / 2);
  const lightK = faceLight(ctx, f.x > 0 ? -1 : 1, 0);
  const cls = f.kind === 'guardrail' ? VOID : TRAIN_ID.fence;
  const H = f.height;
  const fp: FacePaint = (u, v, mu, mv, out) => {
    let a: number;
    if (f.kind === 'guardrail') {
      const beam = cover(v, mv, H - 0.32, H);
      const post = periodicCover(u, mu / 2, 2.0, 0, 0.12) * cover(v, mv, 0, H);
      a = Math.max(beam, post);
    } else {
      const rails = Math.min(1, cover(v, mv, H - 0.06, H) + cover(v, mv, 0.08, 0.14));
      const posts = periodicCover(u, mu / 2, 2.5, 0, 0.08);
      const fill = f.kind === 'mesh' ? 0.58 : periodicCover(u, mu / 2, f.pitch, 0, f.bar);
      a = Math.max(rails, posts, fill);
    }
    setRgb(out, col, lightK * (1 + 0.08 * cellHash(Math.floor(u / 2.5), 0, 7)));
    out[3] = a;
  };
  const q = cam.project([f.x, 0, za, f.x, H, za, f.x, H, f.z1, f.x, 0, f.z1]);
  r.polygon(q, cls, sidePaint(cam, f.x, f.z0, fp));
}

export interface Wall {
  readonly x: number;
  /** Thickness direction: the wall occupies [x, x + thick] when thick > 0. */
  readonly thick: number;
  readonly z0: number;
  readonly z1: number;
  readonly height: number;
  readonly color: Rgb;
  readonly courses: boolean;
}

export function drawWall(ctx: SceneCtx, w: Wall): void {
  const col = hazed(ctx, w.color, Math.max(w.z0, 1));
  const { mid } = ctx;
  const texture = (x: number, y: number): number => 1 + 0.07 * mid.at(x, y);
  const fp: FacePaint = (_u, v, _mu, mv, out) => {
    setRgb(out, col);
    if (w.courses) blendInto(out, [col[0] * 0.7, col[1] * 0.7, col[2] * 0.7], periodicCover(v, mv / 2, 0.3, 0, 0.025) * 0.7);
    blendInto(out, [col[0] * 1.1, col[1] * 1.1, col[2] * 1.1], cover(v, mv, w.height - 0.08, w.height));
  };
  const x0 = Math.min(w.x, w.x + w.thick), x1 = Math.max(w.x, w.x + w.thick);
  drawBox(ctx, { x0, x1, y0: 0, y1: w.height, z0: w.z0, z1: w.z1 }, TRAIN_ID.wall, { front: fp, side: fp, top: fp, texture });
}

export type ClutterKind = 'bin' | 'bollard' | 'column' | 'bench';

/** Street clutter that Cityscapes labels `static` (void): it must not be learned as any class. */
export interface Clutter {
  readonly kind: ClutterKind;
  readonly x: number;
  readonly z: number;
  readonly color: Rgb;
}

export function drawClutter(ctx: SceneCtx, c: Clutter): void {
  const dims: Record<ClutterKind, [number, number, number]> = {
    bin: [0.55, 0.55, 1.0],
    bollard: [0.14, 0.14, 0.9],
    column: [1.2, 1.2, 2.8],
    bench: [1.6, 0.5, 0.48],
  };
  const [w, d, h] = dims[c.kind];
  const col = hazed(ctx, c.color, c.z);
  const fp: FacePaint =
    c.kind === 'column'
      ? (u, v, mu, mv, out) => {
          setRgb(out, col);
          blendInto(out, [0.85, 0.8, 0.7], rectCover(u, v, mu, mv, 0.1, 1.1, 0.6, 2.4) * 0.7);
          blendInto(out, [0.2, 0.3, 0.6], rectCover(u, v, mu, mv, 0.2, 0.9, 1.4, 2.1) * 0.8);
        }
      : (_u, _v, _mu, _mv, out) => setRgb(out, col);
  drawBox(ctx, { x0: c.x - w / 2, x1: c.x + w / 2, y0: 0, y1: h, z0: c.z, z1: c.z + d }, VOID, { front: fp, side: fp, top: fp });
}
