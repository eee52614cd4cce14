import * as tf from '@tensorflow/tfjs';

/**
 * One Adam update of one parameter on the webgpu backend in three dispatches instead of twelve.
 *
 * Why: on an H200 a SegNet-VGG16 step spent ~240 of its ~430 ms outside kernel time, about 90 us per
 * dispatch, and Adam written as tfjs ops is twelve elementwise kernels per parameter (~1000 per step for
 * VGG16's ~80 trainable tensors). Here: m' = b1 m + (1 - b1) g, v' = b2 v + (1 - b2) g^2 and
 * p' = p - lr m' / (sqrt(v') + eps), each one WGSL pass, behind one kernel `UnpoolAdamUpdate` with inputs
 * {p, m, v, g} and outputs [p', m', v'].
 */
export const ADAM_KERNEL = 'UnpoolAdamUpdate';

export interface AdamUpdateAttrs {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

interface Program {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  uniforms: string;
  size: boolean;
  getUserCode(): string;
}

type Uniform = { type: 'float32'; data: number[] };

interface WebgpuBackendLike extends tf.KernelBackend {
  runWebGPUProgram(program: Program, inputs: tf.TensorInfo[], dtype: tf.DataType, uniforms?: Uniform[]): tf.TensorInfo;
}

/** The three elementwise passes; `body` computes `value` from the named inputs at `index`. */
const PASSES = {
  // 1 - beta comes in as a uniform computed in double precision, as the tfjs ops get it: 1 - 0.999 in f32
  // is off by 1.3e-5 relative.
  m: { inputs: ['m', 'g'], uniforms: 'beta : f32, rest : f32,', body: 'let value = uniforms.beta * m[index] + uniforms.rest * g[index];' },
  v: {
    inputs: ['v', 'g'],
    uniforms: 'beta : f32, rest : f32,',
    body: 'let gi = g[index];\n          let value = uniforms.beta * v[index] + uniforms.rest * (gi * gi);',
  },
  p: {
    inputs: ['p', 'm', 'v'],
    uniforms: 'lr : f32, epsilon : f32,',
    body: 'let value = p[index] - uniforms.lr * m[index] / (sqrt(v[index]) + uniforms.epsilon);',
  },
} as const;

class AdamPassProgram implements Program {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [64, 1, 1];
  uniforms: string;
  size = true;

  constructor(
    private readonly pass: keyof typeof PASSES,
    length: number,
  ) {
    this.variableNames = [...PASSES[pass].inputs];
    this.uniforms = PASSES[pass].uniforms;
    this.shaderKey = `unpoolAdam_${pass}`;
    // Flat 1-D output: the update is elementwise, so the parameter's shape does not matter here.
    this.outputShape = [length];
    this.dispatchLayout = { x: [0] };
    this.dispatch = [Math.ceil(length / this.workgroupSize[0]), 1, 1];
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          ${PASSES[this.pass].body}
          setOutputAtIndex(index, value);
        }
      }
    `;
  }
}

function flat(t: tf.TensorInfo): tf.TensorInfo {
  return { dataId: t.dataId, shape: [t.shape.reduce((a, b) => a * b, 1)], dtype: t.dtype };
}

/** The webgpu kernel config for `UnpoolAdamUpdate` (registered by the webgpu loader with the fast kernels). */
export function webgpuAdamKernel(): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { p, m, v, g } = inputs as Record<'p' | 'm' | 'v' | 'g', tf.TensorInfo>;
    const a = attrs as unknown as AdamUpdateAttrs;
    for (const [name, t] of [['m', m], ['v', v], ['g', g]] as const) {
      if (t.shape.join(',') !== p.shape.join(',') || t.dtype !== 'float32' || p.dtype !== 'float32') {
        throw new Error(`${ADAM_KERNEL}: '${name}' is ${t.dtype} [${t.shape}], the parameter ${p.dtype} [${p.shape}]`);
      }
    }
    const b = backend as WebgpuBackendLike;
    const n = p.shape.reduce((x, y) => x * y, 1);
    const run = (pass: keyof typeof PASSES, ins: tf.TensorInfo[], uniforms: Uniform[]) =>
      b.runWebGPUProgram(new AdamPassProgram(pass, n), ins.map(flat), 'float32', uniforms);
    // One entry per declared uniform: tfjs-webgpu lays each entry out with its own alignment.
    const scalars = (...xs: number[]): Uniform[] => xs.map((x) => ({ type: 'float32', data: [x] }));
    const m2 = run('m', [m, g], scalars(a.beta1, 1 - a.beta1));
    const v2 = run('v', [v, g], scalars(a.beta2, 1 - a.beta2));
    const p2 = run('p', [p, m2, v2], scalars(a.lr, a.epsilon));
    return [p2, m2, v2].map((t) => ({ ...t, shape: [...p.shape] }));
  };
  return { kernelName: ADAM_KERNEL, backendName: 'webgpu', kernelFunc };
}

/** Whether the active backend has the fused update (webgpu with the fast kernels). */
export function hasFusedAdam(): boolean {
  return tf.getKernel(ADAM_KERNEL, tf.getBackend()) !== undefined;
}

/** p', m', v' of one Adam step with the fused kernel; `lr` already carries Adam's bias correction. */
export function fusedAdamUpdate(
  p: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  g: tf.Tensor,
  attrs: AdamUpdateAttrs,
): { p: tf.Tensor; m: tf.Tensor; v: tf.Tensor } {
  const [p2, m2, v2] = tf.engine().runKernel(ADAM_KERNEL, { p, m, v, g }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  return { p: p2, m: m2, v: v2 };
}
