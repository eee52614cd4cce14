import type { ParamSpec } from './segnet_params.js';
import { validateSegNetConfig, type InitScheme, type SegNetConfig, type UnpoolMode } from './segnet_config.js';

/**
 * THE SegNet description: every executable form (the tfjs forward, the ONNX inference and training graphs,
 * the test nets) is an interpretation of this list of steps. The layer order, the decoder-width rule, the
 * BN sites, the dropout sites with their seeds, and the parameter names and shapes (the checkpoint
 * contract) are decided here and nowhere else.
 *
 * `scale` is the resolution divisor of a step's output relative to the input image (block b: 2^b).
 */
export interface ConvStep {
  kind: 'conv';
  /** Parameter prefixes: `<conv>.kernel`, `<bn>.{gamma,beta,mean,variance}`. */
  conv: string;
  bn: string;
  cin: number;
  cout: number;
  kernel: number;
  scale: number;
}

export interface PoolStep {
  kind: 'pool';
  block: number;
  /** The unpooling that will read this pool's skip: it decides what the pool keeps. */
  mode: UnpoolMode;
  channels: number;
  /** Output scale (the pre-pool tensor is at scale / 2). */
  scale: number;
}

export interface UnpoolStep {
  kind: 'unpool';
  /** Reads the skip the pool step of this block left. */
  block: number;
  mode: UnpoolMode;
  channels: number;
  scale: number;
}

export interface DropoutStep {
  kind: 'dropout';
  /** The `siteSeed` site of this mask: encoder block b -> b, decoder block b -> 100 + b. */
  site: number;
  /** The mask's name where an engine feeds it as an input. */
  mask: string;
  channels: number;
  scale: number;
  rate: number;
}

export interface ClassifierStep {
  kind: 'classifier';
  cin: number;
  classes: number;
}

export type PlanStep = ConvStep | PoolStep | UnpoolStep | DropoutStep | ClassifierStep;

export interface BatchNormSite {
  name: string;
  channels: number;
  scale: number;
}

export interface SegNetPlan {
  config: SegNetConfig;
  steps: PlanStep[];
  /** In checkpoint order: per conv layer kernel, gamma, beta, mean, variance; then the classifier. */
  params: ParamSpec[];
  batchNorms: BatchNormSite[];
  dropouts: DropoutStep[];
  /** Input height and width must be divisible by this (2^blocks), so every pooling window is whole. */
  divisor: number;
}

/**
 * Blocks whose pooled output (encoder) and whose output (decoder) pass through dropout in Bayesian SegNet:
 * the three deepest, as in the Bayesian SegNet reference model (encdrop3-5 after pool3-5, decdrop5-3 after
 * the decoder convs of those levels, i.e. right before the next shallower unpooling). The deepest decoder
 * block's input is the already-dropped encoder output, so it gets no second dropout.
 */
function dropoutBlocks(c: SegNetConfig): Set<number> {
  if (!c.bayesian || c.dropout === 0) return new Set();
  const n = c.widths.length;
  return new Set([n - 1, n - 2, n - 3].filter((b) => b >= 0));
}

/** PyTorch's default conv initialisation: kaiming-uniform with a = sqrt(5) is uniform(+-1/sqrt(fan-in)). */
function torchDefault(fanIn: number): Pick<ParamSpec, 'init' | 'limit'> {
  return { init: 'uniform', limit: 1 / Math.sqrt(fanIn) };
}

function convParams(s: ConvStep, init: InitScheme): ParamSpec[] {
  const shape = [s.cout];
  const kernel = init === 'torch-default' ? torchDefault(s.kernel * s.kernel * s.cin) : { init: 'he' as const };
  return [
    { name: `${s.conv}.kernel`, shape: [s.kernel, s.kernel, s.cin, s.cout], trainable: true, ...kernel },
    { name: `${s.bn}.gamma`, shape, trainable: true, init: 'ones' },
    { name: `${s.bn}.beta`, shape, trainable: true, init: 'zeros' },
    { name: `${s.bn}.mean`, shape, trainable: false, init: 'zeros' },
    { name: `${s.bn}.variance`, shape, trainable: false, init: 'ones' },
  ];
}

/** Builds the plan of a (validated) config. Pure and cheap: interpreters call it rather than caching it. */
export function segnetPlan(c: SegNetConfig): SegNetPlan {
  validateSegNetConfig(c);
  const steps: PlanStep[] = [];
  const drop = dropoutBlocks(c);
  const conv = (block: string, i: number, cin: number, cout: number, scale: number): ConvStep => ({
    kind: 'conv',
    conv: `${block}.conv${i}`,
    bn: `${block}.bn${i}`,
    cin,
    cout,
    kernel: 3,
    scale,
  });
  const dropout = (site: number, mask: string, channels: number, scale: number): DropoutStep => ({
    kind: 'dropout',
    site,
    mask,
    channels,
    scale,
    rate: c.dropout,
  });
  let cin = c.inputChannels;
  c.widths.forEach((w, b) => {
    for (let i = 0; i < c.convsPerBlock[b]; i++) steps.push(conv(`enc${b}`, i, i === 0 ? cin : w, w, 2 ** b));
    steps.push({ kind: 'pool', block: b, mode: c.unpool, channels: w, scale: 2 ** (b + 1) });
    if (drop.has(b)) steps.push(dropout(b, `mask.enc${b}`, w, 2 ** (b + 1)));
    cin = w;
  });
  for (let b = c.widths.length - 1; b >= 0; b--) {
    const w = c.widths[b];
    steps.push({ kind: 'unpool', block: b, mode: c.unpool, channels: w, scale: 2 ** b });
    // The decoder-width rule: the last conv of a decoder block hands the next shallower block the width
    // its encoder had, so that ratio/switch unpooling there sees matching channel counts.
    const out = b > 0 ? c.widths[b - 1] : c.widths[0];
    for (let i = 0; i < c.convsPerBlock[b]; i++) {
      steps.push(conv(`dec${b}`, i, w, i === c.convsPerBlock[b] - 1 ? out : w, 2 ** b));
    }
    if (drop.has(b) && b > 0) steps.push(dropout(100 + b, `mask.dec${b}`, out, 2 ** b));
  }
  steps.push({ kind: 'classifier', cin: c.widths[0], classes: c.classes });

  const convs = steps.filter((s): s is ConvStep => s.kind === 'conv');
  const init = c.init ?? 'he-normal';
  const params = convs.flatMap((s) => convParams(s, init));
  const torch = init === 'torch-default' ? torchDefault(c.widths[0]) : null;
  params.push({ name: 'cls.kernel', shape: [1, 1, c.widths[0], c.classes], trainable: true, ...(torch ?? { init: 'glorot' as const }) });
  params.push({ name: 'cls.bias', shape: [c.classes], trainable: true, ...(torch ?? { init: 'zeros' as const }) });
  return {
    config: c,
    steps,
    params,
    batchNorms: convs.map((s) => ({ name: s.bn, channels: s.cout, scale: s.scale })),
    dropouts: steps.filter((s): s is DropoutStep => s.kind === 'dropout'),
    divisor: 2 ** c.widths.length,
  };
}

/**
 * What a plan interpreter supplies per step kind. `S` is what a pool step hands its unpool step (the skip);
 * which parts of it an unpooling reads is the unpool registry's business.
 */
export interface PlanInterpreter<T, S> {
  conv(h: T, step: ConvStep): T;
  pool(h: T, step: PoolStep): { out: T; skip: S };
  unpool(h: T, skip: S, step: UnpoolStep): T;
  dropout(h: T, step: DropoutStep): T;
  classifier(h: T, step: ClassifierStep): T;
}

/** Runs the plan's steps in order through an interpreter. */
export function interpretPlan<T, S>(plan: SegNetPlan, input: T, it: PlanInterpreter<T, S>): T {
  const skips = new Map<number, S>();
  let h = input;
  for (const step of plan.steps) {
    switch (step.kind) {
      case 'conv':
        h = it.conv(h, step);
        break;
      case 'pool': {
        const { out, skip } = it.pool(h, step);
        skips.set(step.block, skip);
        h = out;
        break;
      }
      case 'unpool':
        h = it.unpool(h, skips.get(step.block)!, step);
        break;
      case 'dropout':
        h = it.dropout(h, step);
        break;
      case 'classifier':
        h = it.classifier(h, step);
        break;
      default: {
        const never: never = step;
        throw new Error(`interpretPlan: unknown step ${JSON.stringify(never)}`);
      }
    }
  }
  return h;
}

/** Input H and W must be divisible by 2^blocks so every pooling window is whole. */
export function requiredDivisor(c: SegNetConfig): number {
  return 2 ** c.widths.length;
}

/** The dropout sites of a config as `siteSeed` sites (encoder b -> b, decoder b -> 100 + b). */
export function dropoutSites(c: SegNetConfig): number[] {
  return segnetPlan(c).dropouts.map((d) => d.site);
}
