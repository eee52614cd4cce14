/**
 * The two looks of the synthetic street scenes. `kitti` is a domain shift of `city` in the ways the real
 * data sets differ: a wider, higher camera (KITTI: 1.65 m, f ~ 0.58 width; Cityscapes crops: ~1.2 m and a
 * narrower view), a brighter and warmer exposure with harder sun, suburban and rural layouts with more
 * vegetation and terrain, fewer people and no ego-vehicle hood.
 */

export type SynthStyle = 'city' | 'kitti';
export const SYNTH_STYLES: readonly SynthStyle[] = ['city', 'kitti'];

type Range = readonly [number, number];

export interface StyleParams {
  /** Focal length as a fraction of the frame width. */
  readonly focal: Range;
  /** Horizon row as a fraction of the frame height. */
  readonly horizon: Range;
  readonly camHeight: Range;
  /** Largest shift of the vanishing point, fraction of the width. */
  readonly yaw: number;
  readonly hoodProb: number;
  /** Hood height at its top, fraction of the frame height. */
  readonly hoodHeight: Range;
  readonly sunnyProb: number;
  readonly exposure: Range;
  readonly contrast: Range;
  readonly saturation: Range;
  /** Red-minus-blue white balance shift. */
  readonly warmth: Range;
  readonly noise: Range;
  readonly hazeDistance: Range;
  readonly lanes: readonly [number, number];
  readonly laneWidth: Range;
  readonly sidewalkWidth: Range;
  /** Weights of what lines each side of the street. */
  readonly frontage: { readonly buildings: number; readonly trees: number; readonly open: number };
  readonly buildingHeight: Range;
  readonly buildingGap: number;
  /** Probability of a grass verge between road and sidewalk. */
  readonly verge: number;
  /** Probability of a parking strip (void) along a side. */
  readonly parking: number;
  readonly intersection: number;
  /** Probability of a frontal row of buildings closing the street. */
  readonly vista: number;
  /** Expected counts or probabilities of objects per frame. */
  readonly movingCars: number;
  readonly parkedCars: number;
  readonly persons: number;
  readonly riders: number;
  readonly motorcycleShare: number;
  readonly parkedBikes: number;
  readonly trucks: number;
  readonly buses: number;
  readonly trains: number;
  readonly streetTrees: number;
  readonly signPosts: number;
  readonly lamps: number;
  readonly trafficLights: number;
  readonly fences: number;
  readonly walls: number;
  readonly guardRail: number;
  readonly staticClutter: number;
  readonly skyClear: readonly (readonly [number, number, number])[];
  readonly roadGrey: Range;
  readonly facadeColors: readonly (readonly [number, number, number])[];
  readonly leafColors: readonly (readonly [number, number, number])[];
  readonly grassColors: readonly (readonly [number, number, number])[];
}

const FACADES_CITY = [
  [0.56, 0.53, 0.49], [0.63, 0.61, 0.58], [0.46, 0.45, 0.44], [0.68, 0.6, 0.48], [0.55, 0.36, 0.29],
  [0.74, 0.72, 0.67], [0.42, 0.44, 0.47], [0.6, 0.5, 0.41], [0.7, 0.66, 0.55], [0.36, 0.33, 0.31],
] as const;

const FACADES_KITTI = [
  [0.72, 0.68, 0.6], [0.8, 0.76, 0.68], [0.62, 0.45, 0.36], [0.66, 0.66, 0.64], [0.78, 0.7, 0.52],
  [0.52, 0.5, 0.47], [0.85, 0.83, 0.78],
] as const;

export const STYLES: Readonly<Record<SynthStyle, StyleParams>> = {
  city: {
    focal: [0.9, 1.1],
    horizon: [0.36, 0.48],
    camHeight: [1.15, 1.3],
    yaw: 0.06,
    hoodProb: 0.55,
    hoodHeight: [0.05, 0.14],
    sunnyProb: 0.5,
    exposure: [0.78, 1.02],
    contrast: [0.85, 1.0],
    saturation: [0.7, 0.95],
    warmth: [-0.04, 0.02],
    noise: [0.01, 0.025],
    hazeDistance: [250, 600],
    lanes: [2, 4],
    laneWidth: [3.0, 3.6],
    sidewalkWidth: [2.5, 5],
    frontage: { buildings: 0.78, trees: 0.14, open: 0.08 },
    buildingHeight: [8, 24],
    buildingGap: 0.12,
    verge: 0.12,
    parking: 0.25,
    intersection: 0.4,
    vista: 0.55,
    movingCars: 1.0,
    parkedCars: 0.35,
    persons: 5,
    riders: 0.5,
    motorcycleShare: 0.3,
    parkedBikes: 0.45,
    trucks: 0.06,
    buses: 0.06,
    trains: 0.045,
    streetTrees: 0.5,
    signPosts: 2.5,
    lamps: 0.8,
    trafficLights: 0.75,
    fences: 0.3,
    walls: 0.3,
    guardRail: 0.02,
    staticClutter: 1.5,
    skyClear: [[0.42, 0.6, 0.85], [0.55, 0.68, 0.86], [0.6, 0.72, 0.9]],
    roadGrey: [0.27, 0.42],
    facadeColors: FACADES_CITY,
    leafColors: [[0.2, 0.3, 0.12], [0.24, 0.34, 0.15], [0.3, 0.38, 0.16], [0.18, 0.26, 0.14], [0.38, 0.4, 0.18]],
    grassColors: [[0.3, 0.4, 0.18], [0.38, 0.44, 0.22], [0.45, 0.44, 0.28], [0.34, 0.36, 0.2]],
  },
  kitti: {
    focal: [0.55, 0.62],
    horizon: [0.4, 0.5],
    camHeight: [1.6, 1.72],
    yaw: 0.05,
    hoodProb: 0,
    hoodHeight: [0, 0],
    sunnyProb: 0.8,
    exposure: [0.95, 1.25],
    contrast: [1.0, 1.2],
    saturation: [0.95, 1.25],
    warmth: [0.0, 0.07],
    noise: [0.015, 0.035],
    hazeDistance: [400, 1200],
    lanes: [2, 3],
    laneWidth: [3.0, 3.8],
    sidewalkWidth: [1.5, 3.5],
    frontage: { buildings: 0.45, trees: 0.35, open: 0.2 },
    buildingHeight: [5, 14],
    buildingGap: 0.25,
    verge: 0.45,
    parking: 0.05,
    intersection: 0.25,
    vista: 0.2,
    movingCars: 1.0,
    parkedCars: 0.3,
    persons: 1.8,
    riders: 0.35,
    motorcycleShare: 0.2,
    parkedBikes: 0.25,
    trucks: 0.03,
    buses: 0.05,
    trains: 0.05,
    streetTrees: 0.4,
    signPosts: 1.2,
    lamps: 0.5,
    trafficLights: 0.4,
    fences: 0.45,
    walls: 0.3,
    guardRail: 0.15,
    staticClutter: 0.7,
    skyClear: [[0.5, 0.7, 0.95], [0.62, 0.78, 0.98], [0.72, 0.84, 0.98]],
    roadGrey: [0.36, 0.52],
    facadeColors: FACADES_KITTI,
    leafColors: [[0.22, 0.38, 0.1], [0.3, 0.45, 0.12], [0.4, 0.5, 0.16], [0.18, 0.32, 0.12], [0.5, 0.48, 0.2]],
    grassColors: [[0.42, 0.52, 0.2], [0.5, 0.55, 0.26], [0.58, 0.54, 0.32], [0.4, 0.48, 0.2]],
  },
};
