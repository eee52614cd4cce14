import type * as tf from '@tensorflow/tfjs';
import type { PredictOptions, SegNet } from '@unpool/models';

/**
 * What computes a SegNet's training step and inference for a run. The model's variables, the optimizer,
 * checkpoints, data and metrics stay in tfjs whatever the engine; only the forward/backward arithmetic moves.
 *   tfjs         tf.variableGrads / predictProbs on the active tfjs backend (webgpu, tensorflow, wasm, cpu)
 *   onnxruntime  one ONNX graph per step run by ONNX Runtime's CPU kernels on all cores (see @unpool/onnx)
 * Both compute the same functions from the same weights, data and dropout masks (tests hold them to float
 * tolerance), so the engine is provenance, not part of a run's identity.
 */
export type EngineName = 'tfjs' | 'onnxruntime';
export const ENGINE_NAMES = ['auto', 'tfjs', 'onnxruntime'] as const;
export type EngineChoice = (typeof ENGINE_NAMES)[number];

export interface TrainBatch {
  images: tf.Tensor4D;
  labels: tf.Tensor3D;
}

export interface StepGradients {
  /** Scalar loss, read back by the caller only when it logs. */
  loss: tf.Scalar;
  /** By `paramSpecs` name, trainable parameters only. */
  grads: Map<string, tf.Tensor>;
}

/** Inference with one snapshot of the weights (an evaluation); release it when done. */
export interface Predictor {
  /** Class probabilities [B,H,W,classes]: one deterministic pass, or the MC-dropout mean (see predictProbs). */
  probs(images: tf.Tensor4D, options: PredictOptions): Promise<tf.Tensor4D>;
  release(): Promise<void>;
}

export interface SegNetEngine {
  readonly name: EngineName;
  /** Details for provenance (threads, library versions). */
  readonly info: Record<string, unknown>;
  /**
   * Loss and gradients of one batch in training mode; also folds the batch statistics into the model's
   * BN running statistics, as `segnetForward` does in training.
   */
  gradients(model: SegNet, batch: TrainBatch, classWeights: tf.Tensor1D, dropoutSeed: number | null): Promise<StepGradients>;
  predictor(model: SegNet): Promise<Predictor>;
  dispose(): Promise<void>;
}
