import type * as tf from '@tensorflow/tfjs';
import { maxPool2x2, maxPoolWithSwitches, nearestUnpool, ratioUnpool, switchUnpool } from '@unpool/ops';
import type { UnpoolMode } from './segnet_config.js';

/** What a tfjs pool step hands its unpool step: exactly what the unpool mode keeps. */
export interface TfjsSkip {
  prePool: tf.Tensor4D;
  pooled: tf.Tensor4D;
  switches?: tf.Tensor;
}

/** Float32/int32 elements one pool+unpool pair keeps, per pre-pool element count `n` (pooled: n / 4). */
export interface KeptElements {
  /** Beyond what backprop retains anyway (pre-pool and pooled tensors). */
  training: number;
  /** What a forward-only pass must hold from pooling to unpooling. */
  inference: number;
}

/**
 * Per unpool mode, what the interpreters of the plan need that depends on the mode. Interpreters of other
 * targets (ONNX, in @unpool/onnx) keep their own `Record<UnpoolMode, ...>`, so a new mode in
 * `UnpoolMode` is a compile error in every interpreter until it has one.
 */
export interface UnpoolModeSpec {
  /** The encoder must keep the argmax of each window (switch unpooling). */
  needsSwitches: boolean;
  pool(x: tf.Tensor4D): TfjsSkip;
  unpool(y: tf.Tensor4D, skip: TfjsSkip): tf.Tensor4D;
  kept(prePoolElements: number): KeptElements;
}

const poolOnly = (x: tf.Tensor4D): TfjsSkip => ({ prePool: x, pooled: maxPool2x2(x) });

export const UNPOOL_REGISTRY: Record<UnpoolMode, UnpoolModeSpec> = {
  switch: {
    needsSwitches: true,
    pool: (x) => ({ prePool: x, ...maxPoolWithSwitches(x) }),
    unpool: (y, s) => switchUnpool(y, s.switches!, s.prePool.shape),
    // int32 switches, one per pooled element.
    kept: (n) => ({ training: n / 4, inference: n / 4 }),
  },
  ratio: {
    needsSwitches: false,
    pool: poolOnly,
    unpool: (y, s) => ratioUnpool(y, s.prePool, s.pooled),
    // Reuses the pre-pool and pooled tensors backprop keeps; inference must hold both.
    kept: (n) => ({ training: 0, inference: n + n / 4 }),
  },
  nearest: {
    needsSwitches: false,
    pool: poolOnly,
    unpool: (y) => nearestUnpool(y),
    kept: () => ({ training: 0, inference: 0 }),
  },
};
