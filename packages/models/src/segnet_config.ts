/** How a decoder block brings its input back to the encoder block's resolution. */
export type UnpoolMode = 'switch' | 'ratio' | 'nearest';
export const UNPOOL_MODES: readonly UnpoolMode[] = ['switch', 'ratio', 'nearest'];

export interface SegNetConfig {
  /** Output channels of each encoder block, shallow to deep (the decoder mirrors them). */
  widths: number[];
  /** 3x3 conv + BN + ReLU layers per block, same length as `widths`. */
  convsPerBlock: number[];
  /** Output logits per pixel: 19 Cityscapes classes + void = 20. */
  classes: number;
  inputChannels: number;
  unpool: UnpoolMode;
  /** Bayesian SegNet: MC dropout around the three deepest blocks (the plan's dropout sites, segnet_plan.ts). */
  bayesian: boolean;
  dropout: number;
  /** Weight initialisation; absent means `he-normal` (so configs recorded before it existed keep their hash). */
  init?: InitScheme;
}

/**
 * How fresh weights are drawn: `he-normal` (truncated normal, std sqrt(2 / fan-in), Glorot-uniform classifier,
 * zero bias) or `torch-default`, PyTorch's `nn.Conv2d` default (kaiming-uniform with a = sqrt(5), i.e.
 * uniform(+-1/sqrt(fan-in)), sqrt(6) = 2.4x narrower than nominal He-normal, 2.2x than our truncated one; the classifier bias likewise).
 */
export type InitScheme = 'he-normal' | 'torch-default';
export const INIT_SCHEMES: readonly InitScheme[] = ['he-normal', 'torch-default'];

export type SegNetPreset = 'vgg16' | 'mini';

/** `vgg16` is SegNet as in the paper (VGG16-BN encoder); `mini` is the CPU-sized version. */
export const SEGNET_PRESETS: Record<SegNetPreset, Pick<SegNetConfig, 'widths' | 'convsPerBlock'>> = {
  vgg16: { widths: [64, 128, 256, 512, 512], convsPerBlock: [2, 2, 3, 3, 3] },
  mini: { widths: [16, 32, 64, 64], convsPerBlock: [2, 2, 2, 2] },
};

export function segnetConfig(
  options: Partial<SegNetConfig> & { preset?: SegNetPreset } = {},
): SegNetConfig {
  const { preset = 'mini', ...rest } = options;
  const base = SEGNET_PRESETS[preset];
  if (!base) throw new Error(`segnetConfig: unknown preset '${String(preset)}' (expected vgg16 or mini)`);
  const config: SegNetConfig = {
    widths: [...base.widths],
    convsPerBlock: [...base.convsPerBlock],
    classes: 20,
    inputChannels: 3,
    unpool: 'ratio',
    bayesian: false,
    dropout: 0.5,
    ...rest,
  };
  validateSegNetConfig(config);
  return config;
}

export function validateSegNetConfig(c: SegNetConfig): void {
  const fail = (field: string, why: string): never => {
    throw new Error(`SegNet config: '${field}' ${why}`);
  };
  if (!Array.isArray(c.widths) || c.widths.length < 1) fail('widths', 'must list at least one block');
  if (c.widths.some((w) => !Number.isInteger(w) || w < 1)) fail('widths', `must be positive integers, got [${c.widths}]`);
  if (c.convsPerBlock.length !== c.widths.length) {
    fail('convsPerBlock', `has ${c.convsPerBlock.length} entries but widths has ${c.widths.length}`);
  }
  if (c.convsPerBlock.some((n) => !Number.isInteger(n) || n < 1)) fail('convsPerBlock', `must be >= 1, got [${c.convsPerBlock}]`);
  if (!UNPOOL_MODES.includes(c.unpool)) fail('unpool', `must be one of ${UNPOOL_MODES.join(', ')}, got '${c.unpool}'`);
  if (c.init !== undefined && !INIT_SCHEMES.includes(c.init)) fail('init', `must be one of ${INIT_SCHEMES.join(', ')}, got '${c.init}'`);
  if (!(c.dropout >= 0 && c.dropout < 1)) fail('dropout', `must be in [0, 1), got ${c.dropout}`);
  if (!Number.isInteger(c.classes) || c.classes < 2) fail('classes', `must be an integer >= 2, got ${c.classes}`);
}
