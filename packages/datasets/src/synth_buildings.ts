import type { FacePaint } from './camera.js';
import { TRAIN_ID } from './classes.js';
import { periodicCover } from './raster.js';
import { drawBox } from './synth_box.js';
import { blendInto, cellHash, cover, hazed, mixRgb, type Rgb, type SceneCtx } from './synth_context.js';

/** A building block: a box whose street-facing faces carry a facade (windows, shop floor, cornice). */
export interface Building {
  readonly x0: number;
  readonly x1: number;
  readonly z0: number;
  readonly z1: number;
  readonly height: number;
  readonly color: Rgb;
  readonly floor: number;
  readonly groundFloor: number;
  readonly winPitch: number;
  readonly winWidth: number;
  readonly winHeight: number;
  /** 0 dark glass .. 1 mirror-like (reflects the sky: large uniform bright patches). */
  readonly reflect: number;
  readonly shop: boolean;
  readonly salt: number;
  /**
   * Height below which the front face is hidden by the nearer neighbour it adjoins (0: all visible).
   * Drawing only the part that shows saves most of the overdraw along a row of facades.
   */
  readonly frontHiddenBelow: number;
}

function facade(ctx: SceneCtx, b: Building): FacePaint {
  const wall = hazed(ctx, b.color, Math.max(b.z0, 1));
  const gd = hazed(ctx, [0.1, 0.11, 0.13], Math.max(b.z0, 1));
  const gs = mixRgb(ctx.skyHorizon, ctx.skyTop, 0.4);
  const trim = hazed(ctx, mixRgb(b.color, [0.9, 0.9, 0.88], 0.35), Math.max(b.z0, 1));
  const door = mixRgb(wall, [0.2, 0.18, 0.16], 0.5);
  const shopGlass: Rgb = [0.14, 0.15, 0.16];
  const lampLit: Rgb = [0.75, 0.68, 0.5];
  const a = (b.winPitch - b.winWidth) / 2;
  const sill = (b.floor - b.winHeight) * 0.55;
  const top = b.height - 0.8;
  return (u, v, mu, mv, out) => {
    out[0] = wall[0];
    out[1] = wall[1];
    out[2] = wall[2];
    if (v > b.groundFloor && v < top) {
      const wu = periodicCover(u, mu / 2, b.winPitch, a, a + b.winWidth);
      if (wu > 0) {
        const wv = periodicCover(v - b.groundFloor, mv / 2, b.floor, sill, sill + b.winHeight);
        if (wv > 0) {
          const h = cellHash(Math.floor((u - a) / b.winPitch), Math.floor((v - b.groundFloor) / b.floor), b.salt);
          const t = wu * wv;
          if (h > 0.93) blendInto(out, lampLit, t);
          else {
            // Glass between dark and the reflected sky, varying per pane.
            const m = b.reflect * (0.6 + 0.4 * h);
            out[0] += (gd[0] + (gs[0] - gd[0]) * m - out[0]) * t;
            out[1] += (gd[1] + (gs[1] - gd[1]) * m - out[1]) * t;
            out[2] += (gd[2] + (gs[2] - gd[2]) * m - out[2]) * t;
          }
        }
      }
    } else if (v <= b.groundFloor) {
      if (b.shop) {
        const w = periodicCover(u, mu / 2, 4.5, 0.4, 3.8) * cover(v, mv, 0.5, b.groundFloor - 0.6);
        blendInto(out, shopGlass, w);
        blendInto(out, trim, cover(v, mv, b.groundFloor - 0.5, b.groundFloor - 0.15) * 0.8);
      } else {
        blendInto(out, door, periodicCover(u, mu / 2, 9, 3, 4.3) * cover(v, mv, 0, 2.2));
      }
    }
    if (v > b.height - 0.8 || (v > b.groundFloor - 0.3 && v < b.groundFloor + 0.3)) {
      blendInto(out, trim, cover(v, mv, b.height - 0.5, b.height) + cover(v, mv, b.groundFloor - 0.1, b.groundFloor + 0.15) * 0.6);
    }
  };
}

export function drawBuilding(ctx: SceneCtx, b: Building): void {
  const fp = facade(ctx, b);
  const { mid, lo } = ctx;
  const texture = (x: number, y: number): number => 1 + 0.05 * mid.at(x, y) + 0.05 * lo.at(x, y);
  drawBox(ctx, { x0: b.x0, x1: b.x1, y0: 0, y1: b.height, z0: b.z0, z1: b.z1 }, TRAIN_ID.building, { front: fp, frontFromY: b.frontHiddenBelow, side: fp, top: fp, texture });
}
