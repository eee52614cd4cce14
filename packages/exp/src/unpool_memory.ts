import { segnetPlan, UNPOOL_REGISTRY, type SegNetConfig } from '@unpool/models';

/**
 * Bytes per image the unpooling layers keep between encoder and decoder, from the plan's shapes and the
 * unpool registry's per-mode counts (4 bytes per float32/int32 element): `training` counts what exists only
 * for unpooling beyond what backprop retains anyway, `inference` what a forward-only pass must hold.
 */
export function unpoolBytesPerImage(c: SegNetConfig, height: number, width: number): { training: number; inference: number } {
  let training = 0;
  let inference = 0;
  for (const s of segnetPlan(c).steps) {
    if (s.kind !== 'pool') continue;
    const prePool = (height / (s.scale / 2)) * (width / (s.scale / 2)) * s.channels;
    const kept = UNPOOL_REGISTRY[s.mode].kept(prePool);
    training += kept.training * 4;
    inference += kept.inference * 4;
  }
  return { training, inference };
}
