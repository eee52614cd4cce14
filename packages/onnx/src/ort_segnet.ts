import type { SegNetConfig } from '@unpool/models';
import { paramSpecs } from '@unpool/models';
import * as ort from 'onnxruntime-node';
import type { BatchNormSite, DropoutMaskInput } from './segnet_graph_forward.js';
import { IMAGES } from './segnet_graph_forward.js';
import { buildSegnetInferGraph, PROBS } from './segnet_infer_graph.js';
import { buildSegnetTrainGraph, CLASS_WEIGHTS, LABELS, LOSS } from './segnet_train_graph.js';

/** Values by name: parameters (tfjs layouts, `paramSpecs` names) or dropout masks (NHWC). */
export type NamedArrays = ReadonlyMap<string, Float32Array>;

export interface TrainStepInput {
  /** NHWC [batch, height, width, channels]. */
  images: Float32Array;
  /** [batch, height, width], 255 = void. */
  labels: Int32Array;
  batch: number;
  height: number;
  width: number;
  classWeights: Float32Array;
  params: NamedArrays;
  masks?: NamedArrays;
}

export interface TrainStepOutput {
  loss: number;
  /** By trainable parameter name, in the parameter's shape. */
  grads: Map<string, Float32Array>;
  /** Biased batch moments per BN name (`enc0.bn0`) and the values each was taken over, for the running statistics. */
  moments: Map<string, { mean: Float32Array; variance: Float32Array; count: number }>;
}

export interface OrtSegNetOptions {
  /** ORT intra-op threads (MLAS GEMM/conv); the default 0 lets ORT use one per physical core. */
  threads?: number;
}

/**
 * A SegNet run by ONNX Runtime's CPU kernels: one training-step session, built once per config and fed the
 * current weights each step, and predictors that bake one snapshot of the weights in (per evaluation).
 * Pure compute over typed arrays: no tfjs, no files.
 */
export class OrtSegNet {
  private train?: { session: ort.InferenceSession; trainable: string[]; batchNorms: BatchNormSite[]; masks: DropoutMaskInput[] };

  constructor(
    readonly config: SegNetConfig,
    private readonly options: OrtSegNetOptions = {},
  ) {}

  private sessionOptions(): ort.InferenceSession.SessionOptions {
    return {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      intraOpNumThreads: this.options.threads ?? 0,
      interOpNumThreads: 1,
      executionMode: 'sequential',
    };
  }

  /** The dropout mask inputs of the training graph (empty unless Bayesian). */
  async trainMasks(): Promise<DropoutMaskInput[]> {
    return (await this.trainSession()).masks;
  }

  private async trainSession() {
    if (!this.train) {
      const graph = buildSegnetTrainGraph(this.config);
      const session = await ort.InferenceSession.create(graph.bytes, this.sessionOptions());
      this.train = { session, trainable: graph.trainable, batchNorms: graph.batchNorms, masks: graph.masks };
    }
    return this.train;
  }

  private paramFeeds(params: NamedArrays): Record<string, ort.Tensor> {
    const feeds: Record<string, ort.Tensor> = {};
    for (const s of paramSpecs(this.config)) {
      if (!s.trainable) continue;
      const v = params.get(s.name);
      if (!v) throw new Error(`OrtSegNet: parameter '${s.name}' was not given`);
      feeds[s.name] = new ort.Tensor('float32', v, s.shape);
    }
    return feeds;
  }

  /** Loss, gradients and batch moments of one step; the caller applies the optimizer. */
  async trainStep(input: TrainStepInput): Promise<TrainStepOutput> {
    const t = await this.trainSession();
    const { batch, height, width } = input;
    const feeds: Record<string, ort.Tensor> = {
      [IMAGES]: new ort.Tensor('float32', input.images, [batch, height, width, this.config.inputChannels]),
      [LABELS]: new ort.Tensor('int32', input.labels, [batch, height, width]),
      [CLASS_WEIGHTS]: new ort.Tensor('float32', input.classWeights, [this.config.classes]),
      ...this.paramFeeds(input.params),
      ...maskFeeds(t.masks, input.masks, batch, height, width),
    };
    const out = await t.session.run(feeds);
    const grads = new Map<string, Float32Array>();
    for (const name of t.trainable) grads.set(name, out[`grad.${name}`].data as Float32Array);
    const moments: TrainStepOutput['moments'] = new Map();
    for (const { name: bn, scale } of t.batchNorms) {
      moments.set(bn, {
        mean: out[`moments.${bn}.mean`].data as Float32Array,
        variance: out[`moments.${bn}.variance`].data as Float32Array,
        count: batch * (height / scale) * (width / scale),
      });
    }
    return { loss: (out[LOSS].data as Float32Array)[0], grads, moments };
  }

  /**
   * A predictor with these weights baked in (create one per evaluation; weights are copied). Its `probs`
   * runs one pass: deterministic, or with the given MC-dropout masks (Bayesian models).
   */
  predictor(params: NamedArrays): OrtPredictor {
    return new OrtPredictor(this.config, params, this.sessionOptions());
  }

  async release(): Promise<void> {
    await this.train?.session.release();
    this.train = undefined;
  }
}

function maskFeeds(masks: DropoutMaskInput[], given: NamedArrays | undefined, batch: number, height: number, width: number): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const m of masks) {
    const v = given?.get(m.name);
    if (!v) throw new Error(`OrtSegNet: dropout mask '${m.name}' was not given`);
    feeds[m.name] = new ort.Tensor('float32', v, [batch, height / m.scale, width / m.scale, m.channels]);
  }
  return feeds;
}

/** One evaluation's inference sessions (deterministic and MC-dropout), built on first use. */
export class OrtPredictor {
  private readonly sessions = new Map<boolean, Promise<{ session: ort.InferenceSession; masks: DropoutMaskInput[] }>>();
  private readonly weights: Map<string, Float32Array>;

  constructor(
    readonly config: SegNetConfig,
    params: NamedArrays,
    private readonly options: ort.InferenceSession.SessionOptions,
  ) {
    this.weights = new Map(paramSpecs(config).map((s) => {
      const v = params.get(s.name);
      if (!v) throw new Error(`OrtPredictor: parameter '${s.name}' was not given`);
      return [s.name, Float32Array.from(v)];
    }));
  }

  private session(dropout: boolean) {
    const key = dropout && this.config.bayesian;
    let entry = this.sessions.get(key);
    if (!entry) {
      const graph = buildSegnetInferGraph(this.config, { dropout: key, weights: this.weights });
      entry = ort.InferenceSession.create(graph.bytes, this.options).then((session) => ({ session, masks: graph.masks }));
      this.sessions.set(key, entry);
    }
    return entry;
  }

  /** The MC-dropout mask inputs (empty unless Bayesian). */
  async masks(): Promise<DropoutMaskInput[]> {
    return (await this.session(true)).masks;
  }

  /** Class probabilities NHWC [batch, height, width, classes] of one pass. */
  async probs(images: Float32Array, batch: number, height: number, width: number, masks?: NamedArrays): Promise<Float32Array> {
    const { session, masks: inputs } = await this.session(masks !== undefined);
    const out = await session.run({
      [IMAGES]: new ort.Tensor('float32', images, [batch, height, width, this.config.inputChannels]),
      ...maskFeeds(inputs, masks, batch, height, width),
    });
    return out[PROBS].data as Float32Array;
  }

  async release(): Promise<void> {
    for (const entry of this.sessions.values()) await (await entry).session.release();
    this.sessions.clear();
  }
}
