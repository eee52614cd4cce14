import type { Variant } from '@unpool/results';

/** Switch and ratio variants of one network kind, compared head to head (bold, delta column). */
export interface VariantPair {
  kind: 'pair';
  bayesian: boolean;
  label: string;
  switch: Variant;
  ratio: Variant;
}

/** A variant without a counterpart, e.g. the nearest-unpooling control. */
export interface VariantSingle {
  kind: 'single';
  variant: Variant;
}

export type VariantGroup = VariantPair | VariantSingle;

/**
 * Orders the experiment's variants as the paper's table does: the standard switch/ratio pair, the
 * Bayesian pair, then everything else (controls) in definition order.
 */
export function variantGroups(variants: readonly Variant[]): VariantGroup[] {
  const groups: VariantGroup[] = [];
  const used = new Set<string>();
  for (const bayesian of [false, true]) {
    const sw = variants.find((v) => v.unpool === 'switch' && v.bayesian === bayesian);
    const ra = variants.find((v) => v.unpool === 'ratio' && v.bayesian === bayesian);
    if (sw && ra) {
      groups.push({ kind: 'pair', bayesian, label: bayesian ? 'Bayesian SegNet' : 'SegNet', switch: sw, ratio: ra });
      used.add(sw.name).add(ra.name);
    }
  }
  for (const v of variants) if (!used.has(v.name)) groups.push({ kind: 'single', variant: v });
  return groups;
}

export function variantPairs(variants: readonly Variant[]): VariantPair[] {
  return variantGroups(variants).filter((g): g is VariantPair => g.kind === 'pair');
}
