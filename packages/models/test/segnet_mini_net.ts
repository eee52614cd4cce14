import * as tf from '@tensorflow/tfjs';
import { segnetConfig, segnetPlan, type ConvStep } from '../src/index.js';
import { randomValues, scoped, size } from './kernel_helpers.js';

/**
 * SegNet-mini's plan (nearest unpooling) interpreted with plain tfjs ops, for checking the backends'
 * training kernels at the size the experiments use: conv + batchnorm (tf.moments) + ReLU, 2x2 max pooling,
 * nearest 2x upsampling, the 1x1 classifier and softmax cross-entropy, layer for layer as the plan lists them.
 *
 * The network is a chain of stages (conv+BN, ReLU, pool, upsample, classifier+loss) so a test can also
 * run each stage alone, forward and backward, from the same inputs on two backends.
 */
export interface NetSpec {
  batch: number;
  height: number;
  width: number;
  inChannels: number;
  classes: number;
  seed: number;
}

export const SEGNET_MINI: NetSpec = { batch: 8, height: 64, width: 192, inChannels: 3, classes: 20, seed: 1 };

/** Backend-independent tensor contents. */
export interface Snapshot {
  data: Float32Array;
  shape: number[];
}

interface ParamSpec extends Snapshot {
  name: string;
}

type Params = Map<string, tf.Tensor>;

export interface Stage {
  name: string;
  params: string[];
  apply(h: tf.Tensor4D, p: Params, labels: tf.Tensor4D): tf.Tensor;
}

function convParam(name: string, k: number, cin: number, cout: number, seed: number): ParamSpec {
  const shape = [k, k, cin, cout];
  // Uniform with the variance of He initialisation, so activations keep their scale through ReLUs.
  const scale = Math.sqrt(6 / (k * k * cin));
  return { name, shape, data: randomValues(size(shape), seed).map((v) => v * scale) };
}

/**
 * conv + batchnorm and the ReLU are separate stages: a stage must be continuous in its input, or a
 * difference in the last float bit between backends could flip a ReLU and move a gradient.
 */
function convBnStages(step: ConvStep, seed: number): { stages: Stage[]; params: ParamSpec[] } {
  const [kernel, gamma, beta] = [`${step.conv}.kernel`, `${step.bn}.gamma`, `${step.bn}.beta`];
  const params = [
    convParam(kernel, step.kernel, step.cin, step.cout, seed),
    { name: gamma, shape: [step.cout], data: randomValues(step.cout, seed + 1).map((v) => 1 + 0.1 * v) },
    { name: beta, shape: [step.cout], data: randomValues(step.cout, seed + 2).map((v) => 0.1 * v) },
  ];
  const apply = (h: tf.Tensor4D, p: Params) => {
    const y = tf.conv2d(h, p.get(kernel) as tf.Tensor4D, 1, 'same');
    const { mean, variance } = tf.moments(y, [0, 1, 2]);
    const normed = y.sub(mean).div(variance.add(1e-5).sqrt());
    return normed.mul(p.get(gamma)!).add(p.get(beta)!);
  };
  const block = step.conv.replace(/\.conv/, '.');
  return {
    stages: [
      { name: `${block}.conv+bn`, params: params.map((q) => q.name), apply },
      { name: `${block}.relu`, params: [], apply: (h) => tf.relu(h) },
    ],
    params,
  };
}

/**
 * The stages in forward order and their initial parameters, all from `spec.seed`: the SegNet plan of the
 * mini preset with nearest unpooling (no switches: the kernels under test are the convolutions, pooling,
 * resize and their gradients), one stage list interpreting it.
 */
export function segnetMini(spec: NetSpec): { stages: Stage[]; params: ParamSpec[] } {
  const plan = segnetPlan(segnetConfig({ preset: 'mini', unpool: 'nearest', classes: spec.classes, inputChannels: spec.inChannels }));
  const stages: Stage[] = [];
  const params: ParamSpec[] = [];
  let seed = spec.seed * 1000;
  for (const step of plan.steps) {
    switch (step.kind) {
      case 'conv': {
        const s = convBnStages(step, (seed += 10));
        stages.push(...s.stages);
        params.push(...s.params);
        break;
      }
      case 'pool':
        stages.push({ name: `pool${step.block}`, params: [], apply: (h) => tf.maxPool(h, 2, 2, 'valid') });
        break;
      case 'unpool':
        if (step.mode !== 'nearest') throw new Error(`segnetMini: nearest unpooling only, the plan has ${step.mode}`);
        stages.push({ name: `up${step.block}`, params: [], apply: (h) => tf.image.resizeNearestNeighbor(h, [h.shape[1] * 2, h.shape[2] * 2]) });
        break;
      case 'dropout':
        throw new Error('segnetMini: a deterministic net (the plan has no dropout unless Bayesian)');
      case 'classifier': {
        const kernel = convParam('cls.kernel', 1, step.cin, step.classes, (seed += 10));
        const bias = { name: 'cls.bias', shape: [step.classes], data: randomValues(step.classes, (seed += 10)).map((v) => 0.1 * v) };
        params.push(kernel, bias);
        stages.push({
          name: 'classifier+loss',
          params: [kernel.name, bias.name],
          apply: (h, p, labels) =>
            tf.losses.softmaxCrossEntropy(labels, tf.add(tf.conv2d(h, p.get(kernel.name) as tf.Tensor4D, 1, 'same'), p.get(bias.name)!)),
        });
        break;
      }
      default: {
        const never: never = step;
        throw new Error(`segnetMini: unknown step ${JSON.stringify(never)}`);
      }
    }
  }
  return { stages, params };
}

export function inputBatch(spec: NetSpec): { x: Snapshot; labelIds: Int32Array } {
  const shape = [spec.batch, spec.height, spec.width, spec.inChannels];
  const ids = randomValues(spec.batch * spec.height * spec.width, spec.seed + 8).map((v) =>
    Math.min(spec.classes - 1, Math.floor(((v + 1) / 2) * spec.classes)),
  );
  return { x: { data: randomValues(size(shape), spec.seed + 7), shape }, labelIds: Int32Array.from(ids) };
}

function onBackend(spec: NetSpec, params: ParamSpec[], labelIds: Int32Array) {
  const p: Params = new Map(params.map((q) => [q.name, tf.tensor(q.data, q.shape)]));
  const labels = tf
    .oneHot(tf.tensor1d(labelIds, 'int32'), spec.classes)
    .reshape([spec.batch, spec.height, spec.width, spec.classes]) as tf.Tensor4D;
  return { p, labels };
}

const snap = (t: tf.Tensor): Snapshot => ({ data: t.dataSync() as Float32Array, shape: t.shape });

export interface ChainedRun {
  loss: number;
  /** The input, then every stage's output (the last is the loss). */
  acts: Snapshot[];
  /** The gradient of the loss w.r.t. each entry of `acts`. */
  dActs: Snapshot[];
  dParams: Map<string, Float32Array>;
}

/** One forward and backward pass of the whole network on the active backend. */
export function runChained(spec: NetSpec): ChainedRun {
  const { stages, params } = segnetMini(spec);
  const { x, labelIds } = inputBatch(spec);
  return scoped(() => {
    const { p, labels } = onBackend(spec, params, labelIds);
    const names = params.map((q) => q.name);
    const acts: Snapshot[] = [];
    const dActs: Snapshot[] = [];
    // Identity whose backward records the gradient passing through: the gradient at a stage boundary.
    const tap = (k: number) =>
      tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
        value: (args[0] as tf.Tensor).clone(),
        gradFunc: (dy: tf.Tensor) => {
          dActs[k] = snap(dy);
          return dy;
        },
      }));
    const loss = (x0: tf.Tensor, ...ws: tf.Tensor[]) => {
      const local: Params = new Map(names.map((n, i) => [n, ws[i]]));
      let h = tap(0)(x0);
      acts.push(snap(h));
      stages.forEach((s, k) => {
        h = s.apply(h as tf.Tensor4D, local, labels);
        if (k < stages.length - 1) h = tap(k + 1)(h);
        acts.push(snap(h));
      });
      return h as tf.Scalar;
    };
    const { value, grads } = tf.valueAndGrads(loss)([tf.tensor(x.data, x.shape), ...names.map((n) => p.get(n)!)]);
    dActs[stages.length] = { data: new Float32Array([1]), shape: [] };
    return {
      loss: value.dataSync()[0],
      acts,
      dActs,
      dParams: new Map(names.map((n, i) => [n, grads[i + 1].dataSync() as Float32Array])),
    };
  });
}

export interface StageRun {
  output: Snapshot;
  dInput: Snapshot;
  dParams: Map<string, Float32Array>;
}

/** Stage `k` alone on the active backend: its output and the gradients given its output's gradient. */
export function runStage(spec: NetSpec, k: number, input: Snapshot, dOutput: Snapshot): StageRun {
  const { stages, params } = segnetMini(spec);
  const { labelIds } = inputBatch(spec);
  const stage = stages[k];
  return scoped(() => {
    const { p, labels } = onBackend(spec, params, labelIds);
    const dy = tf.tensor(dOutput.data, dOutput.shape);
    let output: Snapshot | undefined;
    const f = (h: tf.Tensor, ...ws: tf.Tensor[]) => {
      const out = stage.apply(h as tf.Tensor4D, new Map(stage.params.map((n, i) => [n, ws[i]])), labels);
      output = snap(out);
      return out.mul(dy).sum();
    };
    const [dh, ...dws] = tf.grads(f)([tf.tensor(input.data, input.shape), ...stage.params.map((n) => p.get(n)!)]);
    return {
      output: output!,
      dInput: snap(dh),
      dParams: new Map(stage.params.map((n, i) => [n, dws[i].dataSync() as Float32Array])),
    };
  });
}
