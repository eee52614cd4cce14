import { Camera } from './camera.js';
import { VOID } from './classes.js';
import { NoiseField } from './noise.js';
import { Rng } from './prng.js';
import { IMAGE_ONLY, Raster } from './raster.js';
import { blendInto, cover, mixRgb, type SceneCtx } from './synth_context.js';
import { drawGround, drawSky, groundPaint } from './synth_ground.js';
import { Layer, layoutScene, type SceneSpec } from './synth_layout.js';
import { STYLES, type SynthStyle } from './synth_style.js';

export interface RenderOptions {
  /**
   * Draw cast shadows (default true). Turning them off must leave the label unchanged: tests use it to
   * check that shadows only darken the image.
   */
  readonly shadows?: boolean;
}

export interface RenderedScene {
  readonly image: Float32Array;
  readonly label: Uint8Array;
}

/** Renders one synthetic street frame; a pure function of its arguments. */
export function renderStreetScene(seed: number, style: SynthStyle, width: number, height: number, opts: RenderOptions = {}): RenderedScene {
  const rng = new Rng(seed);
  const rNoise = rng.fork('noise');
  const rGrain = rng.fork('grain');
  const spec = layoutScene(rng, STYLES[style], width, height);
  const r = new Raster(width, height);
  const ctx: SceneCtx = {
    r,
    cam: spec.cam,
    lo: new NoiseField(rNoise, width, height, Math.max(2, width / 20)),
    mid: new NoiseField(rNoise, width, height, Math.max(1, width / 90)),
    light: spec.light,
    haze: spec.haze,
    hazeDistance: spec.hazeDistance,
    skyTop: spec.skyTop,
    skyHorizon: spec.skyHorizon,
  };
  drawSky(ctx, spec.cloudiness);
  const order = [...spec.drawables].sort((a, b) => a.layer - b.layer || b.z - a.z);
  for (const d of order) if (d.layer === Layer.Far) d.draw(ctx);
  drawGround(ctx, spec.ground);
  drawOverlays(ctx, spec);
  if (opts.shadows ?? true) drawShadows(ctx, spec);
  for (const d of order) if (d.layer !== Layer.Far) d.draw(ctx);
  if (spec.hood) drawHood(ctx, spec.hood);
  photometric(r, spec, rGrain);
  return { image: r.image, label: r.label };
}

function drawOverlays(ctx: SceneCtx, spec: SceneSpec): void {
  const { cam, r } = ctx;
  r.depth = 0;
  for (const o of spec.overlays) {
    const pts = cam.projectGround(o.pts);
    if (o.kind === 'rails') {
      const bed = mixRgb(spec.ground.road, [0.3, 0.28, 0.25], 0.5);
      const steel: readonly [number, number, number] = [0.62, 0.62, 0.64];
      r.polygon(
        pts,
        VOID,
        groundPaint(cam, (g, out) => {
          out[0] = bed[0];
          out[1] = bed[1];
          out[2] = bed[2];
          const c = o.along ? g.X - o.centre : g.Z - o.centre;
          const m = o.along ? g.mX : g.mZ;
          blendInto(out, steel, cover(c, m, -0.76, -0.68) + cover(c, m, 0.68, 0.76));
        }),
      );
    } else {
      const sky = mixRgb(spec.skyHorizon, spec.skyTop, 0.3);
      r.polygon(pts, IMAGE_ONLY, (_x, _y, out) => {
        out[0] = sky[0] * 0.8;
        out[1] = sky[1] * 0.8;
        out[2] = sky[2] * 0.8;
        out[3] = 0.85;
      });
    }
  }
}

function drawShadows(ctx: SceneCtx, spec: SceneSpec): void {
  const { cam, r, light } = ctx;
  // Shadows lie on the ground just drawn and pass any depth test.
  r.depth = 0;
  for (const s of spec.shadows) {
    const k = s.strength;
    const factor = [1 - k * (1 - light.shadow[0]), 1 - k * (1 - light.shadow[1]), 1 - k * (1 - light.shadow[2])] as const;
    if (s.kind === 'poly') {
      r.shade(cam.projectGround(s.pts), factor);
    } else {
      const za = Math.max(s.a[1], Camera.NEAR), zb = Math.max(s.b[1], Camera.NEAR);
      const w = s.width * cam.scale((za + zb) / 2);
      r.shadeLine(cam.px(s.a[0], za), cam.py(0, za), cam.px(s.b[0], zb), cam.py(0, zb), Math.max(0.5, w), factor);
    }
  }
}

/**
 * The ego vehicle's bonnet at the bottom of the frame (Cityscapes `ego vehicle`, void): a glossy surface
 * that mirrors the scene above it, so its colours say nothing about its class.
 */
function drawHood(ctx: SceneCtx, hood: NonNullable<SceneSpec['hood']>): void {
  const { r } = ctx;
  const W = r.width, H = r.height;
  const top = (x: number): number => {
    const t = (x - hood.centre) / (0.7 * W);
    return H - hood.height * (1 - 0.6 * t * t);
  };
  const pts: number[] = [];
  const n = 24;
  for (let i = 0; i <= n; i++) {
    const x = -0.05 * W + (1.1 * W * i) / n;
    pts.push(x, top(x));
  }
  pts.push(1.05 * W, H + 2, -0.05 * W, H + 2);
  const img = r.image;
  const c = hood.color;
  r.depth = 0;
  const depth = Math.max(hood.height, 1);
  r.polygon(pts, VOID, (x, y, out) => {
    const yt = top(x);
    // Mirror of the scene just above the bonnet's edge, fading with depth into the paint.
    const my = Math.min(H - 1, Math.max(0, Math.floor(yt - (y - yt) * 1.5)));
    const mx = Math.min(W - 1, Math.max(0, Math.floor(x)));
    const i = (my * W + mx) * 3;
    const t = Math.min(1, (y - yt) / depth);
    const k = 0.35 * (1 - t);
    // A bright rim where the bonnet's curve catches the sky.
    const rim = Math.max(0, 1 - (y - yt) / 1.2) * 0.35;
    const shade = 0.9 - 0.3 * t;
    out[0] = c[0] * shade + img[i] * k + rim;
    out[1] = c[1] * shade + img[i + 1] * k + rim;
    out[2] = c[2] * shade + img[i + 2] * k + rim;
  });
}

/** Camera response: exposure, white balance, saturation, contrast, vignetting, gamma and sensor noise. */
function photometric(r: Raster, spec: SceneSpec, rng: Rng): void {
  const p = spec.photo;
  const img = r.image;
  const W = r.width, H = r.height;
  const wr = p.exposure * (1 + p.warmth), wg = p.exposure, wb = p.exposure * (1 - p.warmth);
  // Gamma through a table over [0, 2): pow per channel per pixel dominated the frame time.
  const LUT_N = 2048, LUT_MAX = 2;
  const lut = new Float32Array(LUT_N + 1);
  for (let k = 0; k <= LUT_N; k++) lut[k] = Math.pow((k / LUT_N) * LUT_MAX, 1 / p.gamma);
  const toLut = LUT_N / LUT_MAX;
  const sat = p.saturation, con = p.contrast, amp = p.noise * 1.7 / 4294967296;
  // xorshift32 for the sensor noise: many values per frame, seeded from the frame's stream.
  let st = (Math.floor(rng.next() * 4294967296) | 1) >>> 0;
  for (let y = 0; y < H; y++) {
    const dy = (y + 0.5) / H - 0.5;
    for (let x = 0; x < W; x++) {
      const dx = (x + 0.5) / W - 0.5;
      const vig = 1 - p.vignette * (dx * dx + dy * dy) * 2;
      const i = (y * W + x) * 3;
      const cr = img[i] * wr, cg = img[i + 1] * wg, cb = img[i + 2] * wb;
      const lum = 0.299 * cr + 0.587 * cg + 0.114 * cb;
      for (let ch = 0; ch < 3; ch++) {
        const c = ch === 0 ? cr : ch === 1 ? cg : cb;
        let v = ((lum + (c - lum) * sat - 0.45) * con + 0.45) * vig;
        v = v <= 0 ? 0 : v >= LUT_MAX ? lut[LUT_N] : lut[(v * toLut) | 0];
        st ^= st << 13;
        st ^= st >>> 17;
        st ^= st << 5;
        const a = st >>> 0;
        st ^= st << 13;
        st ^= st >>> 17;
        st ^= st << 5;
        v += amp * (a - (st >>> 0));
        img[i + ch] = v < 0 ? 0 : v > 1 ? 1 : v;
      }
    }
  }
}
