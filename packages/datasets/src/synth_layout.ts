import { Camera } from './camera.js';
import type { Rng } from './prng.js';
import { drawBuilding, type Building } from './synth_buildings.js';
import { mixRgb, type Light, type Rgb, type SceneCtx } from './synth_context.js';
import { drawBike, drawPerson, type Bike, type Clothes } from './synth_figures.js';
import {
  drawClutter,
  drawFence,
  drawPole,
  drawWall,
  type ClutterKind,
  type Fence,
  type Pole,
  type Sign,
  type SignShape,
  type TrafficLight,
} from './synth_furniture.js';
import type { GroundKind, GroundLayout, GroundZone, LaneLine } from './synth_ground.js';
import { drawHedge, drawTree, type Tree } from './synth_nature.js';
import type { StyleParams } from './synth_style.js';
import { drawVehicle, vehicleShadows, type Vehicle, type VehicleKind } from './synth_vehicles.js';

/**
 * Draw layers, back to front. Long planes parallel to the road (facades, frontage fences) can only be
 * occluded by things between them and the road, so they go before everything compact; compact objects
 * are then sorted by depth.
 */
export const Layer = { Far: 0, Frontage: 1, FrontageFence: 2, Roadside: 3, Objects: 4 } as const;
export type Layer = (typeof Layer)[keyof typeof Layer];

export interface Drawable {
  readonly layer: Layer;
  /** Depth used to order within a layer (far first). */
  readonly z: number;
  readonly draw: (ctx: SceneCtx) => void;
}

/** An image-only shadow on the ground: a polygon [X, Z, ...] or a stroke, with a strength in [0, 1]. */
export type GroundShadow =
  | { readonly kind: 'poly'; readonly pts: readonly number[]; readonly strength: number }
  | { readonly kind: 'line'; readonly a: readonly [number, number]; readonly b: readonly [number, number]; readonly width: number; readonly strength: number };

/** Void overlays on the ground (tram tracks) and image-only ones (puddles reflecting the sky). */
export interface GroundOverlay {
  readonly kind: 'rails' | 'puddle';
  /** Ground polygon [X, Z, ...]. */
  readonly pts: readonly number[];
  /** Rails: whether they run along Z (else along X), and the X (or Z) of their centre line. */
  readonly along: boolean;
  readonly centre: number;
}

/** Everything random about one frame, decided before any pixel is drawn. */
export interface SceneSpec {
  readonly cam: Camera;
  readonly light: Light;
  readonly skyTop: Rgb;
  readonly skyHorizon: Rgb;
  readonly cloudiness: number;
  readonly haze: Rgb;
  readonly hazeDistance: number;
  readonly ground: GroundLayout;
  readonly overlays: readonly GroundOverlay[];
  readonly drawables: readonly Drawable[];
  readonly shadows: readonly GroundShadow[];
  readonly hood?: { readonly height: number; readonly centre: number; readonly color: Rgb };
  readonly photo: {
    readonly exposure: number;
    readonly contrast: number;
    readonly saturation: number;
    readonly warmth: number;
    readonly noise: number;
    readonly vignette: number;
    readonly gamma: number;
  };
}

const CLOTHES: readonly Rgb[] = [
  [0.08, 0.08, 0.09], [0.22, 0.23, 0.26], [0.5, 0.5, 0.5], [0.13, 0.17, 0.35], [0.6, 0.1, 0.1], [0.85, 0.84, 0.8],
  [0.55, 0.45, 0.32], [0.3, 0.34, 0.2], [0.8, 0.68, 0.2], [0.33, 0.2, 0.14], [0.2, 0.38, 0.6], [0.6, 0.3, 0.45],
];
const SKIN: readonly Rgb[] = [[0.86, 0.66, 0.52], [0.62, 0.44, 0.32], [0.4, 0.27, 0.18], [0.9, 0.76, 0.63]];
const HAIR: readonly Rgb[] = [[0.1, 0.08, 0.06], [0.3, 0.2, 0.1], [0.55, 0.45, 0.3], [0.6, 0.6, 0.6]];
const CAR_COLORS: readonly Rgb[] = [
  [0.08, 0.08, 0.09], [0.85, 0.85, 0.84], [0.55, 0.56, 0.58], [0.35, 0.36, 0.38], [0.6, 0.08, 0.07], [0.12, 0.2, 0.45],
  [0.2, 0.3, 0.22], [0.7, 0.65, 0.55], [0.9, 0.88, 0.8], [0.25, 0.25, 0.3], [0.45, 0.55, 0.7],
];
const BUS_COLORS: readonly Rgb[] = [[0.85, 0.7, 0.1], [0.86, 0.86, 0.84], [0.7, 0.12, 0.1], [0.2, 0.45, 0.3], [0.75, 0.72, 0.62], [0.25, 0.4, 0.7]];
const TRAIN_COLORS: readonly Rgb[] = [[0.86, 0.86, 0.86], [0.88, 0.75, 0.15], [0.6, 0.65, 0.72], [0.75, 0.12, 0.1], [0.2, 0.45, 0.35]];
const CARGO_COLORS: readonly Rgb[] = [[0.88, 0.88, 0.86], [0.65, 0.66, 0.66], [0.2, 0.3, 0.6], [0.65, 0.15, 0.1], [0.85, 0.75, 0.3], [0.4, 0.42, 0.38]];

function jitter(rng: Rng, c: Rgb, a: number): Rgb {
  const k = 1 + rng.range(-a, a);
  return [
    Math.max(0, c[0] * k * (1 + rng.range(-a, a) * 0.5)),
    Math.max(0, c[1] * k * (1 + rng.range(-a, a) * 0.5)),
    Math.max(0, c[2] * k * (1 + rng.range(-a, a) * 0.5)),
  ];
}

function poisson(rng: Rng, mean: number): number {
  const l = Math.exp(-mean);
  let k = 0, p = rng.next();
  while (p > l && k < 50) {
    k++;
    p *= rng.next();
  }
  return k;
}

function clothes(rng: Rng): Clothes {
  return {
    top: jitter(rng, rng.pick(CLOTHES), 0.15),
    legs: jitter(rng, rng.pick(CLOTHES), 0.15),
    skin: rng.pick(SKIN),
    hair: rng.pick(HAIR),
    coat: rng.chance(0.25),
  };
}

interface Side {
  readonly s: -1 | 1;
  readonly edge: number;
  /** X of the frontage line (facades, tree line). */
  readonly front: number;
  readonly frontage: 'buildings' | 'trees' | 'open';
  /** Sidewalk span [inner, outer] in X (inner nearer the road), or undefined when there is none. */
  readonly walk?: readonly [number, number];
  readonly parking?: readonly [number, number];
}

/** Builds a complete random frame description for one style. */
export function layoutScene(rng: Rng, S: StyleParams, W: number, H: number): SceneSpec {
  // Independent streams: adding or removing objects of one kind must not reshuffle the rest.
  const rCam = rng.fork('camera');
  const rLight = rng.fork('light');
  const rRoad = rng.fork('road');
  const rBld = rng.fork('buildings');
  const rVeg = rng.fork('vegetation');
  const rFur = rng.fork('furniture');
  const rVeh = rng.fork('vehicles');
  const rPed = rng.fork('people');
  const rPhoto = rng.fork('photo');
  // The far background depends on the frame width (only what is in view is generated): its own stream
  // keeps the rest of the layout identical across resolutions.
  const rFar = rng.fork('far');

  const f = W * rCam.range(...S.focal);
  const horizon = H * rCam.range(...S.horizon);
  const camH = rCam.range(...S.camHeight);
  const cam = new Camera(f, W / 2 + W * S.yaw * rCam.range(-1, 1), horizon, camH, W, H);
  const hood = rCam.chance(S.hoodProb)
    ? { height: H * rCam.range(...S.hoodHeight), centre: W * rCam.range(0.4, 0.6), color: rCam.pick<Rgb>([[0.04, 0.04, 0.05], [0.42, 0.44, 0.47], [0.7, 0.71, 0.73], [0.08, 0.1, 0.2], [0.5, 0.08, 0.07]]) }
    : undefined;

  const sunny = rLight.chance(S.sunnyProb);
  const sunSide = rLight.chance(0.5) ? 1 : -1;
  const shadowK = rLight.range(0.36, 0.58);
  const light: Light = {
    sunny,
    sx: sunny ? sunSide * rLight.range(0.35, 1.6) : sunSide * 0.3,
    sz: sunny ? rLight.range(-0.5, 1.2) : 0.2,
    shadow: [shadowK * 0.9, shadowK * 0.97, shadowK * 1.12],
    ambient: sunny ? 0.6 : 0.86,
    direct: sunny ? 0.6 : 0.12,
  };
  const overcastGrey = rLight.range(0.7, 0.88);
  const skyTop: Rgb = sunny || rLight.chance(0.35) ? jitter(rLight, rLight.pick(S.skyClear), 0.06) : [overcastGrey, overcastGrey + 0.01, overcastGrey + 0.03];
  const skyHorizon = mixRgb(skyTop, [0.93, 0.94, 0.95], rLight.range(0.45, 0.75));
  const cloudiness = sunny ? rLight.range(0, 0.5) : rLight.range(0.2, 0.8);
  const haze = mixRgb(skyHorizon, [0.7, 0.7, 0.7], 0.3);
  const hazeDistance = rLight.range(...S.hazeDistance);

  // Road cross-section.
  const lanes = rRoad.int(S.lanes[0], S.lanes[1]);
  const laneW = rRoad.range(...S.laneWidth);
  const oncoming = lanes >= 2 ? Math.floor(lanes / 2) : 0;
  const egoLane = lanes === 1 ? 0 : rRoad.int(oncoming, lanes - 1);
  const XL = -(egoLane + 0.5) * laneW + rRoad.range(-0.4, 0.4);
  const XR = XL + lanes * laneW;
  const laneLines: LaneLine[] = [];
  for (let k = 1; k < lanes; k++) laneLines.push({ x: XL + k * laneW, dashed: k !== oncoming || rRoad.chance(0.4), width: 0.15 });
  if (rRoad.chance(0.5)) laneLines.push({ x: XL + 0.3, dashed: false, width: 0.12 }, { x: XR - 0.3, dashed: false, width: 0.12 });

  const sides: Side[] = [];
  const zonesL: GroundZone[] = [], zonesR: GroundZone[] = [];
  for (const s of [-1, 1] as const) {
    const edge = s < 0 ? XL : XR;
    let x = edge;
    const zones = s < 0 ? zonesL : zonesR;
    const push = (kind: GroundKind, w: number): readonly [number, number] => {
      const a = x, b = x + s * w;
      zones.push({ kind, x0: Math.min(a, b), x1: Math.max(a, b) });
      x = b;
      return [a, b];
    };
    const fw = S.frontage;
    const frontage = (['buildings', 'trees', 'open'] as const)[rRoad.weighted([fw.buildings, fw.trees, fw.open])];
    const parking = rRoad.chance(S.parking) ? push('parking', rRoad.range(2.0, 2.6)) : undefined;
    if (rRoad.chance(S.verge)) push('terrain', rRoad.range(0.8, 2.5));
    const noWalk = frontage !== 'buildings' && rRoad.chance(0.3);
    const walk = noWalk ? undefined : push('sidewalk', rRoad.range(...S.sidewalkWidth));
    if (frontage !== 'buildings') push('terrain', rRoad.range(0.5, 4));
    const front = x;
    zones.push({ kind: frontage === 'buildings' ? 'sidewalk' : 'terrain', x0: s < 0 ? -Infinity : x, x1: s < 0 ? x : Infinity });
    sides.push({ s, edge, front, frontage, walk, parking });
  }
  const zones: GroundZone[] = [...zonesL.reverse(), { kind: 'road', x0: XL, x1: XR }, ...zonesR];
  // Make the zones contiguous and ordered (the left list was built outward).
  zones.sort((a, b) => a.x0 - b.x0);

  const nearZ = cam.nearestGroundZ;
  const cross = rRoad.chance(S.intersection) ? (() => {
    const z0 = nearZ + rRoad.range(6, 35);
    return { z0, z1: z0 + rRoad.range(9, 16) };
  })() : undefined;
  const crossingLights = !cross && rRoad.chance(S.trafficLights * 0.35);
  const crosswalkZ = cross ? cross.z0 - 1 : crossingLights ? nearZ + rRoad.range(8, 30) : rRoad.chance(0.15) ? nearZ + rRoad.range(6, 30) : undefined;
  const crosswalk = crosswalkZ !== undefined ? { z0: crosswalkZ - rRoad.range(3, 4.5), z1: crosswalkZ - 0.5 } : undefined;
  const inCross = (z0: number, z1: number): boolean => cross !== undefined && z1 > cross.z0 - 1 && z0 < cross.z1 + 1;

  const roadGrey = rRoad.range(...S.roadGrey);
  const walkBase: Rgb = rRoad.pick<Rgb>([[0.58, 0.57, 0.55], [0.6, 0.5, 0.46], [0.64, 0.6, 0.52], [0.48, 0.48, 0.48]]);
  const ground: GroundLayout = {
    zones,
    roadX0: XL,
    roadX1: XR,
    cross,
    crosswalk,
    lanes: laneLines,
    road: jitter(rRoad, [roadGrey, roadGrey * 1.01, roadGrey * 1.04], 0.05),
    sidewalk: jitter(rRoad, walkBase, 0.08),
    curb: [0.66, 0.66, 0.64],
    terrain: jitter(rRoad, rRoad.pick(S.grassColors), 0.1),
    parking: jitter(rRoad, [roadGrey * 1.12, roadGrey * 1.1, roadGrey * 1.08], 0.05),
    marking: [0.86, 0.86, 0.84],
    tile: rRoad.range(0.3, 0.6),
  };

  const drawables: Drawable[] = [];
  const shadows: GroundShadow[] = [];
  const overlays: GroundOverlay[] = [];
  const add = (layer: Layer, z: number, draw: (ctx: SceneCtx) => void): void => {
    drawables.push({ layer, z, draw });
  };
  const shadowQuad = (x: number, z0: number, z1: number, h: number, strength = 1): void => {
    if (!sunny) return;
    shadows.push({ kind: 'poly', pts: [x, z0, x, z1, x + h * light.sx, z1 + h * light.sz, x + h * light.sx, z0 + h * light.sz], strength });
  };
  const shadowStick = (x: number, z: number, h: number, w: number, strength = 1): void => {
    if (!sunny) return;
    shadows.push({ kind: 'line', a: [x, z], b: [x + h * light.sx, z + h * light.sz], width: w, strength });
  };
  const zFar = rBld.range(80, 170);

  // Far background: skyline or tree line at the horizon.
  const vista = rFar.chance(S.vista);
  // Only what falls inside the frame at that depth is generated.
  const visX = (z: number, side: -1 | 1): number => (side < 0 ? -(cam.cx + 4) : W - cam.cx + 4) * (z / f);
  // Behind a closing row of buildings a skyline would be drawn only to be covered.
  if (rFar.chance(S.frontage.buildings) && !(vista && sides.every((sd) => sd.frontage === 'buildings'))) {
    const zb = rFar.range(300, 700);
    let x = visX(zb, -1) - rFar.range(0, 40);
    while (x < visX(zb, 1)) {
      const w = rFar.range(15, 60), h = rFar.range(8, 45);
      const b = farBuilding(rFar, S, x, x + w, zb, h);
      add(Layer.Far, zb, (ctx) => drawBuilding(ctx, b));
      x += w;
    }
  }
  {
    const zt = rFar.range(250, 600);
    let x = visX(zt, -1) - rFar.range(5, 20);
    const leaf = rFar.pick(S.leafColors);
    while (x < visX(zt, 1) + 10) {
      const rr = rFar.range(5, 14);
      const t: Tree = { x, z: zt, trunkHeight: 0, trunkWidth: 0, crownY: rr * rFar.range(0.2, 0.8), blobs: [{ dx: 0, dy: 0, r: rr }], leaf: jitter(rFar, leaf, 0.1), bark: leaf };
      if (rFar.chance(0.7)) add(Layer.Far, zt - 1, (ctx) => drawTree(ctx, t));
      x += rr * rFar.range(0.8, 1.6);
    }
  }
  if (vista) {
    const zv = zFar + rBld.range(-10, 40);
    // Between two building rows only the canyon's end is visible; elsewhere the row runs wider.
    const reach = (sd: Side): number => (sd.frontage === 'buildings' ? 6 : rBld.range(40, 80));
    let x = sides[0].front - reach(sides[0]);
    const xEnd = sides[1].front + reach(sides[1]);
    while (x < xEnd) {
      const w = rBld.range(10, 30);
      const b = { ...building(rBld, S, x, x + w, zv, zv + 15), height: rBld.range(S.buildingHeight[0], S.buildingHeight[1] * 1.2) };
      add(Layer.Frontage, zv + 15, (ctx) => drawBuilding(ctx, b));
      x += w;
    }
  }

  const parkedLanes = new Set<number>();
  for (const side of sides) {
    const { s } = side;
    // Frontage.
    if (side.frontage === 'buildings') {
      let z = -3;
      let prev: { z1: number; set: number; height: number } | undefined;
      while (z < zFar) {
        if (inCross(z, z + 0.1)) {
          prev = undefined;
          z = cross!.z1 + 1 + (side.walk ? Math.abs(side.walk[1] - side.walk[0]) : 0);
          continue;
        }
        let len = rBld.range(7, 28);
        if (cross && z < cross.z0 - 1 && z + len > cross.z0 - 1) len = cross.z0 - 1 - z;
        if (rBld.chance(S.buildingGap)) {
          const gap = Math.min(len, rBld.range(3, 12));
          if (rBld.chance(0.6)) {
            const x0 = side.front + s * rBld.range(6, 14);
            const b = building(rBld, S, Math.min(x0, x0 + s * 15), Math.max(x0, x0 + s * 15), z, z + gap + 6);
            add(Layer.Frontage, z + gap + 6, (ctx) => drawBuilding(ctx, b));
          }
          for (let k = rVeg.int(0, 2); k > 0; k--) {
            const t = tree(rVeg, S, side.front + s * rVeg.range(2, 7), z + rVeg.range(0, gap), 1.2);
            add(Layer.Frontage, t.z, (ctx) => drawTree(ctx, t));
          }
          z += gap;
          prev = undefined;
          continue;
        }
        const set = rBld.chance(0.3) ? rBld.range(0, 1.5) : 0;
        const x0 = side.front + s * set, x1 = side.front + s * 16;
        const b0 = building(rBld, S, Math.min(x0, x1), Math.max(x0, x1), z, z + len);
        // A contiguous nearer block that is not set back further hides this front face up to its own height.
        const hiddenBelow = prev !== undefined && prev.z1 === z && prev.set <= set ? prev.height : 0;
        const b = { ...b0, frontHiddenBelow: hiddenBelow };
        add(Layer.Frontage, z + len, (ctx) => drawBuilding(ctx, b));
        shadowQuad(x0, Math.max(z, 0.5), z + len, b.height);
        const gap = rBld.chance(0.12) ? rBld.range(0.3, 2) : 0;
        prev = { z1: z + len + gap, set, height: b.height };
        if (gap > 0) prev = undefined;
        z += len + gap;
      }
    } else {
      const dense = side.frontage === 'trees';
      let z = rVeg.range(-2, 4);
      while (z < zFar) {
        const t = tree(rVeg, S, side.front + s * rVeg.range(dense ? 0.8 : 4, dense ? 8 : 40), z, dense ? 1.3 : 1);
        if (!inCross(z - 3, z + 3) && (dense || rVeg.chance(0.35))) {
          add(Layer.Frontage, t.z, (ctx) => drawTree(ctx, t));
          shadows.push(...treeShadow(t, light));
        }
        z += dense ? rVeg.range(3.5, 7) : rVeg.range(4, 14);
      }
      if (rVeg.chance(0.35)) {
        const h = { x0: Math.min(side.front, side.front + s * 1.2), x1: Math.max(side.front, side.front + s * 1.2), z0: rVeg.range(-2, 10), z1: 0, height: rVeg.range(0.9, 2.2), leaf: rVeg.pick(S.leafColors) };
        const z1 = cross ? cross.z0 - 1 : zFar;
        const hh = { ...h, z1: Math.max(h.z0 + 5, z1) };
        add(Layer.FrontageFence, hh.z1, (ctx) => drawHedge(ctx, hh));
        shadowQuad(side.front, hh.z0, hh.z1, hh.height, 0.8);
      }
    }
    // Fences and walls along the frontage (in front of gardens, fields and some facades).
    const spans = (z0: number, z1: number): [number, number][] =>
      cross && z1 > cross.z0 - 1 && z0 < cross.z1 + 1 ? [[z0, cross.z0 - 1], [cross.z1 + 1, z1]] : [[z0, z1]];
    const fenceP = side.frontage === 'buildings' ? S.fences * 0.4 : S.fences;
    if (rFur.chance(fenceP)) {
      const z0 = rFur.range(-2, 20), z1 = z0 + rFur.range(10, 80);
      const kind = rFur.chance(0.6) ? 'bars' : 'mesh';
      const base: Omit<Fence, 'z0' | 'z1'> = {
        kind,
        x: side.front - s * 0.15,
        height: rFur.range(0.9, 2.0),
        color: rFur.pick<Rgb>([[0.35, 0.36, 0.37], [0.15, 0.22, 0.16], [0.45, 0.33, 0.22], [0.75, 0.75, 0.73], [0.55, 0.56, 0.57]]),
        pitch: rFur.range(0.12, 0.3),
        bar: rFur.range(0.035, 0.06),
      };
      for (const [a, b] of spans(z0, z1)) {
        if (b - a < 1) continue;
        const fz: Fence = { ...base, z0: a, z1: b };
        add(Layer.FrontageFence, b, (ctx) => drawFence(ctx, fz));
        shadowQuad(fz.x, a, b, fz.height, kind === 'mesh' ? 0.45 : 0.3);
      }
    }
    const wallP = side.frontage === 'buildings' ? S.walls * 0.4 : S.walls;
    if (rFur.chance(wallP)) {
      const z0 = rFur.range(-2, 25), z1 = z0 + rFur.range(6, 60);
      const height = rFur.chance(0.5) ? rFur.range(0.4, 1.0) : rFur.range(1.2, 2.6);
      const color = jitter(rFur, rFur.pick<Rgb>([[0.55, 0.54, 0.52], [0.62, 0.6, 0.57], [0.5, 0.36, 0.3], [0.45, 0.46, 0.47], [0.68, 0.64, 0.55]]), 0.06);
      const courses = rFur.chance(0.5);
      for (const [a, b] of spans(z0, z1)) {
        if (b - a < 1) continue;
        const w = { x: side.front - s * 0.35, thick: s * 0.3, z0: a, z1: b, height, color, courses };
        add(Layer.FrontageFence, b + 0.01, (ctx) => drawWall(ctx, w));
        shadowQuad(w.x, a, b, height, 0.9);
      }
    }
    if (rFur.chance(S.guardRail)) {
      const x = side.edge + s * 0.4;
      const g: Fence = { kind: 'guardrail', x, z0: -2, z1: cross ? cross.z0 - 1 : zFar, height: 0.75, color: [0.62, 0.63, 0.64], pitch: 2, bar: 0.1 };
      add(Layer.Roadside, 0, (ctx) => drawFence(ctx, g));
    }

    // Street trees.
    if (rVeg.chance(S.streetTrees)) {
      const onCurb = !side.walk || rVeg.chance(0.5);
      const x = onCurb ? side.edge + s * rVeg.range(0.7, 1.3) : side.front - s * rVeg.range(0.8, 1.6);
      const pitch = rVeg.range(7, 15);
      for (let z = rVeg.range(0, 8); z < zFar * 0.8; z += pitch * rVeg.range(0.85, 1.15)) {
        if (inCross(z - 3, z + 3)) continue;
        const t = tree(rVeg, S, x, z, 0.8);
        const t2 = { ...t, trunkHeight: Math.max(t.trunkHeight, 2.4), crownY: Math.max(t.crownY, 2.4 + t.blobs[0].r * 0.7) };
        add(Layer.Objects, z, (ctx) => drawTree(ctx, t2));
        shadows.push(...treeShadow(t2, light));
      }
    }
    // Street lamps.
    if (rFur.chance(S.lamps)) {
      const pitch = rFur.range(18, 35);
      const height = rFur.range(6, 9);
      const color = rFur.pick<Rgb>([[0.45, 0.46, 0.47], [0.2, 0.22, 0.2], [0.6, 0.6, 0.6]]);
      for (let z = rFur.range(2, 15); z < zFar; z += pitch) {
        if (inCross(z, z)) continue;
        const p: Pole = { x: side.edge + s * 0.45, z, height, width: 0.18, color, signs: [], lights: [], arm: { dir: -s, length: rFur.range(0.8, 2.2), lamp: true } };
        add(Layer.Objects, z, (ctx) => drawPole(ctx, p));
        shadowStick(p.x, z, height, 0.18);
      }
    }
    // Parked cars.
    const edgeLane = s < 0 ? 0 : lanes - 1;
    // Park on the strip, else in the outer lane (taking it from traffic), else half up on the sidewalk;
    // never in the ego lane, which would put a car against the lens.
    const parkX = side.parking
      ? (side.parking[0] + side.parking[1]) / 2
      : edgeLane !== egoLane
        ? side.edge - s * rVeh.range(1.0, 1.2)
        : side.walk
          ? side.edge + s * rVeh.range(0.2, 0.4)
          : undefined;
    const parked = rVeh.chance(S.parkedCars) && parkX !== undefined;
    if (parked && !side.parking && edgeLane !== egoLane) parkedLanes.add(edgeLane);
    if (parked) {
      const x = parkX!;
      const zEnd = rVeh.range(25, 80);
      let z = nearZ + rVeh.range(-3, 6);
      while (z < zEnd) {
        const v = vehicle(rVeh, S, rVeh.chance(0.01) ? 'truck' : 'car', 'along', x, z, rVeh.chance(0.5));
        const len = v.length;
        if (!inCross(z, z + len) && !(crosswalk && z + len > crosswalk.z0 - 1 && z < crosswalk.z1 + 1) && rVeh.chance(0.75)) {
          add(Layer.Objects, z, (ctx) => drawVehicle(ctx, v));
          for (const sh of vehicleShadows(light, v)) shadows.push({ kind: 'poly', pts: sh.poly, strength: sh.k });
        }
        z += len + rVeh.range(0.6, 3);
      }
    }
  }

  // Moving traffic in the lanes (parked rows may stand in the outer lanes).
  for (let l = 0; l < lanes; l++) {
    if (parkedLanes.has(l)) continue;
    const away = l >= oncoming;
    const x = XL + (l + 0.5) * laneW;
    let z = l === egoLane ? nearZ + rVeh.range(10, 40) : nearZ + rVeh.range(-2, 12);
    const pFill = Math.min(0.9, S.movingCars / (lanes * 2.2));
    while (z < 110) {
      const kind0 = (['car', 'truck', 'bus'] as const)[rVeh.weighted([1, S.trucks, S.buses])];
      // Large vehicles stay back: one filling the frame would dominate the class statistics.
      const kind = kind0 !== 'car' && z < nearZ + 15 ? 'car' : kind0;
      const v = vehicle(rVeh, S, kind, 'along', x + rVeh.range(-0.3, 0.3), z, !away);
      if (rVeh.chance(pFill)) {
        add(Layer.Objects, z, (ctx) => drawVehicle(ctx, v));
        for (const sh of vehicleShadows(light, v)) shadows.push({ kind: 'poly', pts: sh.poly, strength: sh.k });
      }
      z += v.length + rVeh.range(4, 30);
    }
  }
  // Trams running along the middle of the street, on void rail track.
  if (rVeh.chance(S.trains)) {
    const x = lanes >= 2 ? XL + oncoming * laneW + rVeh.range(-1, 1) : XL + laneW / 2;
    const z = nearZ + rVeh.range(18, 50);
    const v = vehicle(rVeh, S, 'train', 'along', x, z, rVeh.chance(0.5));
    add(Layer.Objects, z, (ctx) => drawVehicle(ctx, v));
    for (const sh of vehicleShadows(light, v)) shadows.push({ kind: 'poly', pts: sh.poly, strength: sh.k });
    overlays.push({ kind: 'rails', pts: [x - 0.85, nearZ - 1, x + 0.85, nearZ - 1, x + 0.85, zFar, x - 0.85, zFar], along: true, centre: x });
  }
  // Cross traffic.
  if (cross) {
    const width = cross.z1 - cross.z0;
    const n = rVeh.int(0, 2);
    for (let k = 0; k < n; k++) {
      const kind = (['car', 'truck', 'bus', 'train'] as const)[rVeh.weighted([1, S.trucks * 0.5, S.buses * 0.5, S.trains])];
      const v0 = vehicle(rVeh, S, kind, 'across', 0, cross.z0 + rVeh.range(2, width - 2), rVeh.chance(0.5));
      const v = { ...v0, x: rVeh.range(-25, 25) - v0.length / 2 };
      add(Layer.Objects, v.z, (ctx) => drawVehicle(ctx, v));
      for (const sh of vehicleShadows(light, v)) shadows.push({ kind: 'poly', pts: sh.poly, strength: sh.k });
      if (kind === 'train') overlays.push({ kind: 'rails', pts: [-200, v.z - 0.85, 200, v.z - 0.85, 200, v.z + 0.85, -200, v.z + 0.85], along: false, centre: v.z });
    }
  }

  // Riders.
  const nRiders = poisson(rPed, S.riders);
  for (let k = 0; k < nRiders; k++) {
    const moto = rPed.chance(S.motorcycleShare);
    const crossing = cross !== undefined && rPed.chance(0.4);
    let x: number, z: number, phi: number;
    if (crossing) {
      z = cross!.z0 + rPed.range(1.5, cross!.z1 - cross!.z0 - 1.5);
      x = rPed.range(-12, 12);
      phi = (rPed.chance(0.5) ? 0 : Math.PI) + rPed.range(-0.3, 0.3);
    } else {
      const away = rPed.chance(0.75);
      x = away ? XR - rPed.range(0.6, 1.4) : XL + rPed.range(0.6, 1.4);
      z = nearZ + rPed.range(3, 30);
      phi = (away ? Math.PI / 2 : -Math.PI / 2) + rPed.range(-0.5, 0.5);
    }
    const b: Bike = {
      kind: moto ? 'motorcycle' : 'bicycle',
      x,
      z,
      phi,
      color: jitter(rPed, rPed.pick(CAR_COLORS), 0.1),
      rider: { ...clothes(rPed), helmet: rPed.pick(CLOTHES) },
    };
    add(Layer.Objects, z, (ctx) => drawBike(ctx, b));
    shadowStick(x, z, 1.6, 0.4, 0.9);
  }
  // Parked two-wheelers on the sidewalk, perpendicular to the kerb.
  for (const side of sides) {
    if (!side.walk || !rPed.chance(S.parkedBikes)) continue;
    const n = rPed.int(1, 4);
    const z0 = nearZ + rPed.range(1, 25);
    const moto = rPed.chance(0.25);
    const x = side.walk[0] + side.s * rPed.range(0.9, 1.3);
    for (let k = 0; k < n; k++) {
      const b: Bike = { kind: moto ? 'motorcycle' : 'bicycle', x, z: z0 + k * rPed.range(0.6, 1.0), phi: (rPed.chance(0.5) ? 0 : Math.PI) + rPed.range(-0.35, 0.35), color: jitter(rPed, rPed.pick(CAR_COLORS), 0.1) };
      add(Layer.Objects, b.z, (ctx) => drawBike(ctx, b));
    }
  }
  // Pedestrians on the sidewalks and on the crossing.
  const nPeople = poisson(rPed, S.persons);
  const walkSides = sides.filter((sd) => sd.walk);
  for (let k = 0; k < nPeople && walkSides.length > 0; k++) {
    const sd = rPed.pick(walkSides);
    const [a, b] = sd.walk!;
    const z0 = nearZ + 0.5 + 45 * Math.pow(rPed.next(), 1.4);
    const group = rPed.chance(0.3) ? rPed.int(2, 3) : 1;
    for (let g = 0; g < group; g++) {
      const x = a + (b - a) * rPed.range(0.15, 0.85);
      const p = person(rPed, x, z0 + g * rPed.range(0.4, 1.5), rPed.chance(0.25));
      add(Layer.Objects, p.z, (ctx) => drawPerson(ctx, p));
      shadowStick(p.x, p.z, p.height, 0.4, 0.9);
    }
  }
  if (crosswalk && rPed.chance(0.6)) {
    for (let k = rPed.int(1, 4); k > 0; k--) {
      const p = person(rPed, rPed.range(XL - 1, XR + 1), rPed.range(crosswalk.z0, crosswalk.z1), true);
      add(Layer.Objects, p.z, (ctx) => drawPerson(ctx, p));
      shadowStick(p.x, p.z, p.height, 0.4, 0.9);
    }
  }

  // Poles with signs and traffic lights.
  const nSigns = poisson(rFur, S.signPosts);
  for (let k = 0; k < nSigns; k++) {
    const sd = rFur.pick(sides);
    const z = nearZ + rFur.range(2, 45);
    if (inCross(z, z)) continue;
    const back = sd.s < 0 && rFur.chance(0.35);
    const height = rFur.range(2.5, 3.5);
    const signs: Sign[] = [sign(rFur, back, height - 0.35)];
    if (rFur.chance(0.35)) signs.push(sign(rFur, back, height - 1.05));
    const p: Pole = { x: sd.edge + sd.s * rFur.range(0.3, 0.8), z, height, width: rFur.range(0.07, 0.12), color: [0.55, 0.56, 0.57], signs, lights: [] };
    add(Layer.Objects, z, (ctx) => drawPole(ctx, p));
    shadowStick(p.x, z, height, 0.1);
  }
  if (cross || crossingLights) {
    const zc = cross ? cross.z0 - rFur.range(0.3, 1.5) : crosswalkZ! + 0.5;
    for (const sd of sides) {
      if (!rFur.chance(S.trafficLights + 0.2)) continue;
      const mast = sd.s > 0 && rFur.chance(0.5);
      const lights: TrafficLight[] = [{ along: 0, y: 2.1, state: rFur.int(0, 2), housing: rFur.pick<Rgb>([[0.1, 0.1, 0.1], [0.16, 0.18, 0.16], [0.7, 0.6, 0.1]]) }];
      if (mast) lights.push({ along: rFur.range(2.5, 4), y: rFur.range(4.6, 5.2), state: lights[0].state, housing: lights[0].housing });
      const p: Pole = {
        x: sd.edge + sd.s * rFur.range(0.4, 0.9),
        z: zc,
        height: mast ? rFur.range(5.6, 6.2) : rFur.range(3.2, 3.8),
        width: 0.14,
        color: [0.4, 0.41, 0.42],
        signs: rFur.chance(0.3) ? [sign(rFur, false, 4.3)] : [],
        lights,
        arm: mast ? { dir: -sd.s, length: rFur.range(4.5, 6.5), lamp: false } : undefined,
      };
      add(Layer.Objects, zc, (ctx) => drawPole(ctx, p));
      shadowStick(p.x, zc, p.height, 0.14);
    }
    if (cross && rFur.chance(0.7)) {
      const sd = rFur.pick(sides);
      const p: Pole = {
        x: sd.edge + sd.s * rFur.range(0.4, 1.2),
        z: cross.z1 + rFur.range(0.5, 2),
        height: 3.5,
        width: 0.14,
        color: [0.4, 0.41, 0.42],
        signs: [],
        lights: [{ along: 0, y: 2.2, state: rFur.chance(0.5) ? rFur.int(0, 2) : -1, housing: [0.1, 0.1, 0.1] }],
      };
      add(Layer.Objects, p.z, (ctx) => drawPole(ctx, p));
    }
  }
  // Street clutter (void).
  const nClutter = poisson(rFur, S.staticClutter);
  for (let k = 0; k < nClutter; k++) {
    const sd = rFur.pick(sides);
    if (!sd.walk) continue;
    const kind = (['bin', 'bollard', 'column', 'bench'] as const)[rFur.weighted([3, 3, 1, 1.5])];
    const z = nearZ + rFur.range(1, 40);
    const x = kind === 'bollard' ? sd.edge + sd.s * 0.3 : sd.walk[0] + (sd.walk[1] - sd.walk[0]) * rFur.range(0.3, 0.9);
    const n = kind === 'bollard' ? rFur.int(2, 6) : 1;
    const color = rFur.pick<Rgb>([[0.25, 0.3, 0.25], [0.4, 0.4, 0.42], [0.75, 0.45, 0.1], [0.55, 0.55, 0.57], [0.3, 0.22, 0.15]]);
    for (let i = 0; i < n; i++) {
      const c = { kind: kind as ClutterKind, x, z: z + i * 1.6, color };
      add(Layer.Objects, c.z, (ctx) => drawClutter(ctx, c));
    }
  }
  // Puddles: reflective, uniform patches that stay road.
  if (!sunny && rRoad.chance(0.3)) {
    for (let k = rRoad.int(1, 3); k > 0; k--) {
      const x = rRoad.range(XL + 0.5, XR - 0.5), z = nearZ + rRoad.range(1, 20), rx = rRoad.range(0.5, 1.5), rz = rRoad.range(0.6, 2.5);
      const pts: number[] = [];
      for (let i = 0; i < 10; i++) pts.push(x + rx * Math.cos((i / 10) * 2 * Math.PI), z + rz * Math.sin((i / 10) * 2 * Math.PI));
      overlays.push({ kind: 'puddle', pts, along: true, centre: x });
    }
  }

  const photo = {
    exposure: rPhoto.range(...S.exposure),
    contrast: rPhoto.range(...S.contrast),
    saturation: rPhoto.range(...S.saturation),
    warmth: rPhoto.range(...S.warmth),
    noise: rPhoto.range(...S.noise),
    vignette: rPhoto.range(0, 0.25),
    gamma: rPhoto.range(0.9, 1.1),
  };
  return { cam, light, skyTop, skyHorizon, cloudiness, haze, hazeDistance, ground, overlays, drawables, shadows, hood, photo };
}

function building(rng: Rng, S: StyleParams, x0: number, x1: number, z0: number, z1: number): Building {
  const floor = rng.range(2.9, 3.6);
  const winPitch = rng.range(2.2, 3.8);
  return {
    x0,
    x1,
    z0,
    z1,
    height: rng.range(...S.buildingHeight),
    color: jitter(rng, rng.pick(S.facadeColors), 0.08),
    floor,
    groundFloor: rng.range(3.2, 4.5),
    winPitch,
    winWidth: winPitch * rng.range(0.35, 0.6),
    winHeight: floor * rng.range(0.4, 0.6),
    reflect: rng.chance(0.3) ? rng.range(0.5, 0.9) : rng.range(0, 0.35),
    shop: rng.chance(0.5),
    salt: rng.int(0, 1 << 30),
    frontHiddenBelow: 0,
  };
}

function farBuilding(rng: Rng, S: StyleParams, x0: number, x1: number, z: number, h: number): Building {
  return { ...building(rng, S, x0, x1, z, z + 20), height: h };
}

function tree(rng: Rng, S: StyleParams, x: number, z: number, scale: number): Tree {
  const r = rng.range(1.6, 3.6) * scale;
  const trunkHeight = rng.range(1.0, 2.8) * scale;
  const n = rng.int(3, 5);
  const blobs = [{ dx: 0, dy: 0, r }];
  for (let i = 1; i < n; i++) blobs.push({ dx: rng.range(-0.7, 0.7) * r, dy: rng.range(-0.5, 0.6) * r, r: r * rng.range(0.5, 0.8) });
  return {
    x,
    z,
    trunkHeight,
    trunkWidth: rng.range(0.2, 0.45),
    crownY: trunkHeight + r * 0.85,
    blobs,
    leaf: jitter(rng, rng.pick(S.leafColors), 0.12),
    bark: jitter(rng, [0.25, 0.2, 0.16], 0.15),
  };
}

function treeShadow(t: Tree, light: Light): GroundShadow[] {
  if (!light.sunny) return [];
  const r = t.blobs[0].r;
  const cx = t.x + t.crownY * light.sx, cz = t.z + t.crownY * light.sz;
  const pts: number[] = [];
  for (let i = 0; i < 10; i++) pts.push(cx + r * Math.cos((i / 10) * 2 * Math.PI), cz + r * 0.9 * Math.sin((i / 10) * 2 * Math.PI));
  return [
    { kind: 'poly', pts, strength: 0.85 },
    { kind: 'line', a: [t.x, t.z], b: [t.x + t.trunkHeight * light.sx, t.z + t.trunkHeight * light.sz], width: t.trunkWidth, strength: 1 },
  ];
}

function person(rng: Rng, x: number, z: number, side: boolean): { x: number; z: number; height: number; side: boolean; stride: number; clothes: Clothes } {
  const child = rng.chance(0.08);
  return { x, z, height: child ? rng.range(1.0, 1.4) : rng.range(1.55, 1.95), side, stride: rng.range(-1, 1), clothes: clothes(rng) };
}

const SIGN_SHAPES: readonly SignShape[] = ['prohibitory', 'mandatory', 'warning', 'info', 'direction', 'priority'];

function sign(rng: Rng, back: boolean, y: number): Sign {
  const shape = back ? 'back' : SIGN_SHAPES[rng.weighted([3, 2, 2, 1.5, 1, 1])];
  const color: Rgb =
    shape === 'prohibitory' || shape === 'warning'
      ? [0.72, 0.08, 0.08]
      : shape === 'mandatory' || shape === 'info'
        ? [0.1, 0.25, 0.65]
        : shape === 'priority'
          ? [0.95, 0.75, 0.1]
          : rng.pick<Rgb>([[0.95, 0.8, 0.15], [0.15, 0.45, 0.25], [0.9, 0.9, 0.88]]);
  return { shape, y, size: shape === 'direction' ? rng.range(0.55, 0.8) : rng.range(0.6, 0.85), color };
}

const VEHICLE_DIMS: Record<VehicleKind, { l: [number, number]; w: [number, number]; h: [number, number] }> = {
  car: { l: [3.8, 4.9], w: [1.7, 1.9], h: [1.4, 1.65] },
  truck: { l: [6.5, 10], w: [2.3, 2.5], h: [3.0, 3.8] },
  bus: { l: [10.5, 13], w: [2.5, 2.55], h: [2.95, 3.15] },
  train: { l: [22, 34], w: [2.3, 2.45], h: [3.3, 3.5] },
};

function vehicle(rng: Rng, _S: StyleParams, kind: VehicleKind, orient: 'along' | 'across', x: number, z: number, front: boolean): Vehicle {
  const d = VEHICLE_DIMS[kind];
  const palette = kind === 'bus' ? BUS_COLORS : kind === 'train' ? TRAIN_COLORS : CAR_COLORS;
  return {
    kind,
    orient,
    x,
    z,
    front,
    length: rng.range(...d.l),
    width: rng.range(...d.w),
    height: rng.range(...d.h),
    color: jitter(rng, rng.pick(palette), 0.08),
    accent: kind === 'truck' ? jitter(rng, rng.pick(CARGO_COLORS), 0.06) : jitter(rng, rng.pick(CAR_COLORS), 0.1),
    variant: rng.next(),
  };
}

