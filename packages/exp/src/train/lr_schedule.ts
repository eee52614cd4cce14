export type LrSchedule = 'constant' | 'poly' | 'cosine';

/**
 * Learning rate at `step` of `total`. `poly` (power 0.9) is the usual segmentation schedule (DeepLab,
 * mmsegmentation); `cosine` anneals to zero.
 */
export function learningRate(base: number, schedule: LrSchedule, step: number, total: number): number {
  const progress = Math.min(1, Math.max(0, step / Math.max(1, total)));
  switch (schedule) {
    case 'constant':
      return base;
    case 'poly':
      return base * (1 - progress) ** 0.9;
    case 'cosine':
      return base * 0.5 * (1 + Math.cos(Math.PI * progress));
  }
}
