/**
 * The optimizer arithmetic both engines apply (the tfjs `Optimizer` in @unpool/exp, the update inside the
 * ONNX training graph): the constants and the per-step size are written here once, so the two take the
 * same steps.
 */
export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPSILON = 1e-7;
/** SGD momentum when the config gives none (SegNet's reference training used 0.9). */
export const SGD_MOMENTUM = 0.9;

export interface OptimizerRule {
  name: 'adam' | 'sgd';
  momentum?: number;
  weightDecay?: number;
}

/**
 * The step size of update number `t` (1-based): for Adam the bias correction is folded into it (one scalar
 * per step, computed in float64, instead of two tensor divisions); for SGD it is the learning rate.
 */
export function optimizerStepSize(rule: OptimizerRule, lr: number, t: number): number {
  if (rule.name === 'sgd') return lr;
  return (lr * Math.sqrt(1 - ADAM_BETA2 ** t)) / (1 - ADAM_BETA1 ** t);
}

/** Optimizer slots per parameter: Adam's first and second moments, or SGD's velocity. */
export function optimizerSlotCount(rule: OptimizerRule): number {
  return rule.name === 'adam' ? 2 : 1;
}
