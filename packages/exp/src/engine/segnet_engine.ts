import type * as tf from '@tensorflow/tfjs';
import type { PredictOptions, SegNet } from '@unpool/models';
import type { Optimizer } from '../train/optimizer.js';

/**
 * What computes a SegNet's training step and inference for a run. The model's variables, checkpoints,
 * data and metrics stay in tfjs whatever the engine; the step (forward, loss, backward, optimizer update,
 * BN running statistics) may run elsewhere, holding its own copy of the state between syncs.
 *   tfjs         tf.variableGrads + the tfjs Optimizer on the active backend (webgpu, tensorflow, wasm, cpu)
 *   onnxruntime  the whole step as one ONNX graph run by ONNX Runtime (CPU, WebGPU or CUDA EP; see @unpool/onnx)
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

/** A training run's steps on one engine, from the model's and optimizer's state when it was made. */
export interface Trainer {
  /**
   * One step at learning rate `lr`: the update of every trainable weight, the optimizer's slots and the BN
   * running statistics. Returns the batch's loss (before the update) as a scalar the caller reads and checks.
   */
  step(batch: TrainBatch, classWeights: tf.Tensor1D, dropoutSeed: number | null, lr: number): Promise<tf.Scalar>;
  /** Writes the engine's state into the model's variables and the optimizer (before evaluation, checkpoints, the end). */
  sync(): void | Promise<void>;
  dispose(): Promise<void>;
}

/** Inference with one snapshot of the weights (an evaluation); release it when done. */
export interface Predictor {
  /** Class probabilities [B,H,W,classes]: one deterministic pass, or the MC-dropout mean (see predictProbs). */
  probs(images: tf.Tensor4D, options: PredictOptions): Promise<tf.Tensor4D>;
  release(): Promise<void>;
}

/**
 * Where an engine's graphs ran (result.json costs): the execution provider, the adapter behind it, the
 * nodes of the generated training and inference graphs per EP, and the bytes a step moves between host
 * and device.
 */
export interface EnginePlacement {
  executionProvider: string;
  adapter: string | null;
  nodes: { train: Record<string, number>; inference: Record<string, number> };
  hostBytesPerStep: number | null;
}

export interface SegNetEngine {
  readonly name: EngineName;
  /** Details for provenance (threads, library versions). */
  readonly info: Record<string, unknown>;
  /** Engines with execution providers say where the last trainer and predictor ran. */
  placement?(): EnginePlacement | null;
  trainer(model: SegNet, optimizer: Optimizer): Promise<Trainer>;
  predictor(model: SegNet): Promise<Predictor>;
  dispose(): Promise<void>;
}
