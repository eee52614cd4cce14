import * as tf from '@tensorflow/tfjs';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON, optimizerSlotCount, optimizerStepSize, SGD_MOMENTUM, type NamedTensor } from '@unpool/models';
import { fusedAdamUpdate, hasFusedAdam } from '@unpool/runtime';

export interface OptimizerConfig {
  name: 'adam' | 'sgd';
  lr: number;
  /** SGD momentum (SegNet's reference training used 0.9). */
  momentum?: number;
  weightDecay?: number;
}

/**
 * Adam and momentum SGD with their state held by parameter NAME (not by position, as tfjs' own optimizers
 * do), so a checkpoint restores into a freshly built model and the learning rate is an argument of each
 * step rather than hidden mutable state.
 */
export class Optimizer {
  private readonly slots = new Map<string, tf.Variable[]>();
  /** Updates applied so far (Adam's bias-correction counter). */
  t = 0;

  constructor(readonly config: OptimizerConfig) {
    if (!(config.lr > 0)) throw new Error(`optimizer: lr must be > 0, got ${config.lr}`);
  }

  private slot(name: string, like: tf.Tensor, count: number): tf.Variable[] {
    let s = this.slots.get(name);
    if (!s) {
      s = Array.from({ length: count }, () => tf.variable(tf.zerosLike(like), false));
      this.slots.set(name, s);
    }
    return s;
  }

  /** Counts one update and returns its step size (see `optimizerStepSize`): every engine's update calls this. */
  nextStepSize(lr: number): number {
    this.t += 1;
    return optimizerStepSize(this.config, lr, this.t);
  }

  /** One update of every variable in `params` that has a gradient in `grads` (same names). */
  apply(params: Map<string, tf.Variable>, grads: Map<string, tf.Tensor>, lr: number): void {
    const { name, momentum = SGD_MOMENTUM, weightDecay = 0 } = this.config;
    const [b1, b2, eps] = [ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON];
    const stepSize = this.nextStepSize(lr);
    const fused = hasFusedAdam();
    tf.tidy(() => {
      for (const [key, g0] of grads) {
        const p = params.get(key);
        if (!p) throw new Error(`optimizer: gradient for unknown parameter '${key}'`);
        const g = weightDecay > 0 ? tf.add(g0, tf.mul(p, weightDecay)) : g0;
        if (name === 'adam' && fused) {
          // Same update in three dispatches instead of twelve (see @unpool/runtime webgpu_adam.ts).
          const [m, v] = this.slot(key, p, optimizerSlotCount(this.config));
          const next = fusedAdamUpdate(p, m, v, g, { lr: stepSize, beta1: b1, beta2: b2, epsilon: eps });
          m.assign(next.m);
          v.assign(next.v);
          p.assign(next.p);
        } else if (name === 'adam') {
          const [m, v] = this.slot(key, p, optimizerSlotCount(this.config));
          m.assign(tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1)));
          v.assign(tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2)));
          p.assign(tf.sub(p, tf.mul(tf.div(m, tf.add(tf.sqrt(v), eps)), stepSize)));
        } else {
          const [vel] = this.slot(key, p, optimizerSlotCount(this.config));
          vel.assign(tf.add(tf.mul(vel, momentum), g));
          p.assign(tf.sub(p, tf.mul(vel, stepSize)));
        }
      }
    });
  }

  /** Slot tensors named `<param>#<slot index>`, for checkpoints. */
  state(): NamedTensor[] {
    const out: NamedTensor[] = [];
    for (const [key, vars] of this.slots) vars.forEach((v, i) => out.push({ name: `${key}#${i}`, tensor: v }));
    return out;
  }

  restore(t: number, stored: Map<string, tf.Tensor>): void {
    this.dispose();
    this.t = t;
    const grouped = new Map<string, tf.Tensor[]>();
    for (const [name, tensor] of stored) {
      const at = name.lastIndexOf('#');
      if (at < 0) throw new Error(`optimizer: bad slot name '${name}' in checkpoint`);
      const key = name.slice(0, at);
      const list = grouped.get(key) ?? [];
      list[Number(name.slice(at + 1))] = tensor;
      grouped.set(key, list);
    }
    for (const [key, list] of grouped) this.slots.set(key, list.map((t) => tf.variable(t, false)));
  }

  dispose(): void {
    this.slots.forEach((vars) => vars.forEach((v) => v.dispose()));
    this.slots.clear();
  }
}
