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
  /** Lowest visible height of the front face when a nearer neighbour hides its lower part (default y0). */
  readonly frontFromY?: number;
}

/** Applies a face's light factor and the optional screen texture after its paint (one closure per face). */
function shaded(paint: Paint, light: number, tex: ((x: number, y: number) => number) | undefined): Paint {
  if (!tex) {
    return (x, y, out) => {
      paint(x, y, out);
      out[0] *= light;
      out[1] *= light;
      out[2] *= light;
    };
  }
  return (x, y, out) => {
    paint(x, y, out);
    const k = light * tex(x, y);
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
    r.polygon(q, cls, shaded(sidePaint(cam, xs, b.z0, p.side), faceLight(ctx, xs > 0 ? -1 : 1, 0), p.texture));
  }
  if (b.y1 < cam.camHeight && p.top) {
    const q = cam.project([b.x0, b.y1, za, b.x1, b.y1, za, b.x1, b.y1, b.z1, b.x0, b.y1, b.z1]);
    r.polygon(q, cls, shaded(topPaint(cam, b.y1, b.x0, b.z0, p.top), faceLight(ctx, 0, 0, true), p.texture));
  } else if (b.y0 > cam.camHeight) {
    // Undersides (hanging lights, tall vehicles' overhangs) are in shade.
    const q = cam.project([b.x0, b.y0, za, b.x1, b.y0, za, b.x1, b.y0, b.z1, b.x0, b.y0, b.z1]);
    r.polygon(q, cls, shaded(topPaint(cam, b.y0, b.x0, b.z0, p.front ?? p.side), ctx.light.ambient * 0.8, undefined));
  }
  const fy = Math.max(b.y0, p.frontFromY ?? b.y0);
  if (b.z0 >= Camera.NEAR && p.front && fy < b.y1) {
    const q = cam.project([b.x0, fy, b.z0, b.x1, fy, b.z0, b.x1, b.y1, b.z0, b.x0, b.y1, b.z0]);
    r.polygon(q, cls, shaded(frontPaint(cam, b.z0, b.x0, p.front), faceLight(ctx, 0, -1), p.texture));
  }
}
