import type { DropoutStep, SegNetConfig } from '@unpool/models';
import { paramSpecs } from '@unpool/models';
import * as ort from 'onnxruntime-node';
import { assertExecutionProvider, createSession, poolLowering, trainLowering, type CpuThreading, type ExecutionProvider } from './execution_provider.js';
import type { GraphOptimizer } from './optimizer_graph.js';
import { IMAGES, type ImageDims } from './segnet_graph.js';
import { buildSegnetInferGraph } from './segnet_infer_graph.js';
import { buildCopyGraph, COPY, buildSegnetTrainGraph, CLASS_WEIGHTS, CPU_TRAIN_SESSION, GRAD, LABELS, LOSS, LR, NEXT, type TrainGraph } from './segnet_train_graph.js';

/** Values by name: parameters (tfjs layouts, `paramSpecs` names), optimizer slots, or dropout masks (NHWC). */
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
  /** This step's optimizer step size (`optimizerStepSize`). */
  lr: number;
  masks?: NamedArrays;
}

export interface OrtSegNetOptions extends CpuThreading {
  /** Execution provider of every session (default `cpu`); GPU EPs run with zero CPU-EP nodes or fail. */
  ep?: ExecutionProvider;
}

function maskFeeds(masks: readonly DropoutStep[], given: NamedArrays | undefined, batch: number, height: number, width: number): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const m of masks) {
    const v = given?.get(m.mask);
    if (!v) throw new Error(`OrtSegNet: dropout mask '${m.mask}' was not given`);
    feeds[m.mask] = new ort.Tensor('float32', v, [batch, height / m.scale, width / m.scale, m.channels]);
  }
  return feeds;
}

/** Bytes of the tensors that live on the host (those a GPU EP copies in or out). */
function hostTensorBytes(tensors: readonly ort.Tensor[]): number {
  return tensors.reduce((sum, t) => sum + (t.location === 'cpu' ? (t.data as ArrayBufferView).byteLength : 0), 0);
}

function disposeOnDevice(t: ort.Tensor | undefined): void {
  if (t && t.location !== 'cpu') t.dispose();
}

/**
 * A training run's state in ONNX Runtime: the weights, optimizer slots and running statistics live as ORT
 * tensors between steps, each step's `next.*` outputs becoming the next step's inputs (one `session.run`
 * per step, nothing else). `state()` reads them back (evaluation, checkpoints).
 */
export class OrtTrainer {
  private current: Map<string, ort.Tensor>;
  private grads = new Map<string, Float32Array>();
  /** Bytes the last step copied between host and device: host-side feeds in, host-side outputs back (0 on the CPU EP). */
  hostBytes: number | null = null;
  /** On a GPU EP: reads device-resident state back (the `next.*` outputs stay on the device between steps). */
  readback: ((state: ReadonlyMap<string, ort.Tensor>) => Promise<Map<string, Float32Array>>) | null = null;

  constructor(
    private readonly config: SegNetConfig,
    /** The step's session for a batch shape (one for every shape on the CPU EP; one per shape on GPU EPs). */
    private readonly sessionFor: (dims: ImageDims) => Promise<ort.InferenceSession>,
    private readonly graph: TrainGraph,
    initial: (name: string) => Float32Array | undefined,
    private readonly ep: ExecutionProvider = 'cpu',
  ) {
    this.current = new Map(
      graph.state.map((s) => {
        const v = initial(s.name);
        if (!v) throw new Error(`OrtSegNet: state '${s.name}' was not given`);
        const n = s.shape.reduce((a, b) => a * b, 1);
        if (v.length !== n) throw new Error(`OrtSegNet: state '${s.name}' has ${v.length} values, shape [${s.shape}] needs ${n}`);
        return [s.name, new ort.Tensor('float32', Float32Array.from(v), s.shape)];
      }),
    );
  }

  /** The dropout mask inputs (empty unless Bayesian). */
  get masks(): DropoutStep[] {
    return this.graph.masks;
  }

  /** One training step; returns the loss of the batch before the update. */
  async step(input: TrainStepInput): Promise<number> {
    const { batch, height, width } = input;
    const feeds: Record<string, ort.Tensor> = {
      [IMAGES]: new ort.Tensor('float32', input.images, [batch, height, width, this.config.inputChannels]),
      [LABELS]: new ort.Tensor('int32', input.labels, [batch, height, width]),
      [CLASS_WEIGHTS]: new ort.Tensor('float32', input.classWeights, [this.config.classes]),
      [LR]: new ort.Tensor('float32', Float32Array.of(input.lr), []),
      ...Object.fromEntries(this.current),
      ...maskFeeds(this.graph.masks, input.masks, batch, height, width),
    };
    const session = await this.sessionFor([batch, height, width]);
    const out = await session.run(feeds);
    this.hostBytes = this.ep === 'cpu' ? 0 : hostTensorBytes(Object.values(feeds)) + hostTensorBytes(Object.values(out));
    for (const s of this.graph.state) {
      disposeOnDevice(this.current.get(s.name));
      this.current.set(s.name, out[`${NEXT}${s.name}`]);
    }
    this.grads = new Map(this.graph.gradients.map((n) => [n, out[`${GRAD}${n}`].data as Float32Array]));
    return (out[LOSS].data as Float32Array)[0];
  }

  /** The last step's gradients by parameter name (a trainer made with `gradients: true`; else empty). */
  gradients(): Map<string, Float32Array> {
    return this.grads;
  }

  /** Current values of every state tensor by name (copies; read back from the device on a GPU EP). */
  async state(): Promise<Map<string, Float32Array>> {
    const onDevice = [...this.current.values()].some((t) => t.location !== 'cpu');
    if (onDevice && this.readback) return this.readback(this.current);
    return new Map([...this.current].map(([k, v]) => [k, Float32Array.from(v.data as Float32Array)]));
  }

  async release(): Promise<void> {
    for (const t of this.current.values()) disposeOnDevice(t);
    await this.releaseSessions();
  }

  /** Set by the owner: releases every session `sessionFor` made. */
  releaseSessions: () => Promise<void> = async () => {};
}

/**
 * Reads device-resident state back to the host: a session of Identity nodes on the same EP, its inputs
 * fed the device tensors and its outputs on the host (`getData()` on a device tensor aborts the process in
 * onnxruntime-node 1.30). Made on first use; called with an empty map, it releases its session.
 */
function stateReader(state: TrainGraph['state'], create: (bytes: Uint8Array) => Promise<ort.InferenceSession>) {
  let session: Promise<ort.InferenceSession> | null = null;
  return async (current: ReadonlyMap<string, ort.Tensor>): Promise<Map<string, Float32Array>> => {
    if (current.size === 0) {
      if (session) await (await session).release();
      session = null;
      return new Map();
    }
    session ??= create(buildCopyGraph(state));
    const out = await (await session).run(Object.fromEntries(current));
    return new Map(state.map((s) => [s.name, out[`${COPY}${s.name}`].data as Float32Array]));
  };
}

/**
 * A SegNet run by ONNX Runtime on one execution provider: trainers (one training-step session each, holding a run's
 * state) and predictors that bake one snapshot of the weights in (per evaluation). Pure compute over typed
 * arrays: no tfjs, no files.
 */
export class OrtSegNet {
  constructor(
    readonly config: SegNetConfig,
    private readonly options: OrtSegNetOptions = {},
  ) {
    assertExecutionProvider(this.ep);
  }

  /** Nodes of the last generated training and inference graphs (all on `ep`: GPU sessions refuse CPU-EP nodes). */
  readonly graphNodes: { train: number | null; inference: number | null } = { train: null, inference: null };

  get ep(): ExecutionProvider {
    return this.options.ep ?? 'cpu';
  }

  /**
   * A trainer starting from `state`, asked for every name of the graph's state: trainable weights, optimizer
   * slots `<param>#<i>`, running statistics.
   */
  async trainer(optimizer: GraphOptimizer, state: (name: string) => Float32Array | undefined, options: { gradients?: boolean } = {}): Promise<OrtTrainer> {
    const ep = this.ep;
    const lowering = await trainLowering(ep);
    const graph = buildSegnetTrainGraph(this.config, optimizer, { ...options, lowering });
    // The CPU EP gets CPU_TRAIN_SESSION. On a GPU EP the new state stays on the device as the next step's
    // input (onnxruntime-node's preferredOutputLocation 'gpu-buffer'); only the batch, the loss and the
    // masks cross to the host.
    const extra = ep === 'cpu' ? CPU_TRAIN_SESSION : { preferredOutputLocation: Object.fromEntries(graph.state.map((s) => [`${NEXT}${s.name}`, 'gpu-buffer' as const])) };
    const create = (bytes: Uint8Array) => createSession(bytes, ep, this.options, extra);
    const sessions = new Map<string, Promise<ort.InferenceSession>>();
    // GPU EPs get fixed shapes: ORT then folds the shape arithmetic (pixel counts, slice ends) into
    // constants, which would otherwise be int64 nodes placed on the CPU EP.
    const shared = ep === 'cpu' ? create(graph.bytes) : undefined;
    const sessionFor = (dims: ImageDims) => {
      if (shared) return shared;
      const key = dims.join('x');
      if (!sessions.has(key)) sessions.set(key, create(buildSegnetTrainGraph(this.config, optimizer, { ...options, lowering, dims }).bytes));
      return sessions.get(key)!;
    };
    if (shared) await shared;
    const trainer = new OrtTrainer(this.config, sessionFor, graph, state, ep);
    this.graphNodes.train = graph.nodes;
    if (ep !== 'cpu') trainer.readback = stateReader(graph.state, (bytes) => createSession(bytes, ep, this.options));
    trainer.releaseSessions = async () => {
      for (const s of [...(shared ? [shared] : []), ...sessions.values()]) await (await s).release();
      sessions.clear();
      await trainer.readback?.(new Map()).catch(() => undefined);
    };
    return trainer;
  }

  /**
   * A predictor with these weights baked in (create one per evaluation; weights are copied). Its `probs`
   * runs one pass: deterministic, or with the given MC-dropout masks (Bayesian models).
   */
  predictor(params: NamedArrays): OrtPredictor {
    return new OrtPredictor(this.config, params, this.ep, this.options, (n) => (this.graphNodes.inference = n));
  }
}

export class OrtPredictor {
  private readonly sessions = new Map<boolean, Promise<{ session: ort.InferenceSession; masks: DropoutStep[] }>>();
  private readonly weights: Map<string, Float32Array>;

  constructor(
    readonly config: SegNetConfig,
    params: NamedArrays,
    private readonly ep: ExecutionProvider = 'cpu',
    private readonly cpu: CpuThreading = {},
    private readonly onGraph: (nodes: number) => void = () => {},
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
      const graph = buildSegnetInferGraph(this.config, { dropout: key, weights: this.weights, foldBatchNorm: false, layout: 'NHWC', output: 'probs', lowering: poolLowering(this.ep) });
      this.onGraph(graph.nodes);
      entry = createSession(graph.bytes, this.ep, this.cpu).then((session) => ({ session, masks: graph.masks }));
      this.sessions.set(key, entry);
    }
    return entry;
  }

  /** The MC-dropout mask inputs (empty unless Bayesian). */
  async masks(): Promise<DropoutStep[]> {
    return (await this.session(true)).masks;
  }

  /** Class probabilities NHWC [batch, height, width, classes] of one pass. */
  async probs(images: Float32Array, batch: number, height: number, width: number, masks?: NamedArrays): Promise<Float32Array> {
    const { session, masks: inputs } = await this.session(masks !== undefined);
    const out = await session.run({
      [IMAGES]: new ort.Tensor('float32', images, [batch, height, width, this.config.inputChannels]),
      ...maskFeeds(inputs, masks, batch, height, width),
    });
    return out.probs.data as Float32Array;
  }

  async release(): Promise<void> {
    for (const entry of this.sessions.values()) await (await entry).session.release();
    this.sessions.clear();
  }
}
