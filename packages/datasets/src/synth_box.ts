import { Camera, frontPaint, sidePaint, topPaint, type FacePaint } from './camera.js';
import type { Paint } from './raster.js';
import { faceLight, type SceneCtx } from './synth_context.js';

/** An axis-aligned box in world metres. */
export interface Box3 {
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
  readonly z0: number;
  readonly z1: number;
}

/**
 * Face paints of a box: `front` for the plane Z = z0 (u = X - x0), `side` for whichever of X = x0 / X = x1
 * faces the camera (u = Z - z0), `top` for Y = y1 (u = X - x0, v = Z - z0). Each is scaled by the face's
 * sun light.
 */
export interface BoxPaints {
  /** Omitted when the caller knows the front face is hidden (saves overdraw). */
  readonly front?: FacePaint;
  readonly side: FacePaint;
  readonly top?: FacePaint;
  /**
   * Optional brightness factor in pixel space (foliage, rough concrete): texture tied to the screen does
   * not alias on faces seen at grazing angles, where face coordinates change many times per pixel.
   */
  readonly texture?: (x: number, y: number) => number;
}

function textured(paint: Paint, tex: ((x: number, y: number) => number) | undefined): Paint {
  if (!tex) return paint;
  return (x, y, out) => {
    paint(x, y, out);
    const k = tex(x, y);
    out[0] *= k;
    out[1] *= k;
    out[2] *= k;
  };
}

function lit(fp: FacePaint, k: number): FacePaint {
  return (u, v, mu, mv, out) => {
    fp(u, v, mu, mv, out);
    out[0] *= k;
    out[1] *= k;
    out[2] *= k;
  };
}

/** Draws the (at most three) faces of a box visible from the camera. */
export function drawBox(ctx: SceneCtx, b: Box3, cls: number, p: BoxPaints): void {
  const { cam, r } = ctx;
  if (b.z1 <= Camera.NEAR) return;
  const za = Math.max(b.z0, Camera.NEAR);
  const xs = b.x0 > 0 ? b.x0 : b.x1 < 0 ? b.x1 : NaN;
  if (!Number.isNaN(xs)) {
    const q = cam.project([xs, b.y0, za, xs, b.y1, za, xs, b.y1, b.z1, xs, b.y0, b.z1]);
    r.polygon(q, cls, textured(sidePaint(cam, xs, b.z0, lit(p.side, faceLight(ctx, xs > 0 ? -1 : 1, 0))), p.texture));
  }
  if (b.y1 < cam.camHeight && p.top) {
    const q = cam.project([b.x0, b.y1, za, b.x1, b.y1, za, b.x1, b.y1, b.z1, b.x0, b.y1, b.z1]);
    r.polygon(q, cls, textured(topPaint(cam, b.y1, b.x0, b.z0, lit(p.top, faceLight(ctx, 0, 0, true))), p.texture));
  } else if (b.y0 > cam.camHeight) {
    // Undersides (hanging lights, tall vehicles' overhangs) are in shade.
    const q = cam.project([b.x0, b.y0, za, b.x1, b.y0, za, b.x1, b.y0, b.z1, b.x0, b.y0, b.z1]);
    r.polygon(q, cls, topPaint(cam, b.y0, b.x0, b.z0, lit(p.front ?? p.side, ctx.light.ambient * 0.8)));
  }
  if (b.z0 >= Camera.NEAR && p.front) {
    const q = cam.project([b.x0, b.y0, b.z0, b.x1, b.y0, b.z0, b.x1, b.y1, b.z0, b.x0, b.y1, b.z0]);
    r.polygon(q, cls, textured(frontPaint(cam, b.z0, b.x0, lit(p.front, faceLight(ctx, 0, -1))), p.texture));
  }
}
