import * as tf from '@tensorflow/tfjs';
import { assertShape, describeConv, forwardConvInfo, type ConvGradAttrs } from './conv_grad_geometry.js';

const NAME = 'Conv2DBackpropFilter';

/** Output tile of one workgroup: TILE rows of the [KH*KW*Cin, Cout] gradient by TILE columns. */
const TILE = 64;
/** Reduction elements (positions n, oh, ow) staged in workgroup memory per step. */
const DEPTH = 16;
/** Partial sums are written for every slice; this bounds that scratch buffer (WebGPU guarantees 128 MiB bindings). */
const MAX_PARTIAL_BYTES = 64 * 2 ** 20;

/**
 * How the reduction over M = N*OH*OW is split: `slices` workgroup layers of `sliceSize` positions each
 * (a multiple of DEPTH), so that even a layer whose gradient is a single tile keeps the GPU busy.
 */
export interface SplitKPlan {
  /** Output tiles along the [KH*KW*Cin] rows and the Cout columns. */
  rowTiles: number;
  colTiles: number;
  slices: number;
  sliceSize: number;
  /** DEPTH-sized steps per slice. */
  steps: number;
}

export interface SplitKOptions {
  /** Workgroups to aim for in total: enough to fill a large GPU several times over. */
  targetWorkgroups?: number;
  /** No slice shorter than this (positions), so each workgroup amortises its start-up and write-out. */
  minSliceSize?: number;
  maxPartialBytes?: number;
}

/** Pure planning of the split; exported for tests. `rows` = KH*KW*Cin, `cols` = Cout, `m` = N*OH*OW. */
export function planSplitK(rows: number, cols: number, m: number, options: SplitKOptions = {}): SplitKPlan {
  const { targetWorkgroups = 2048, minSliceSize = 512, maxPartialBytes = MAX_PARTIAL_BYTES } = options;
  for (const [what, v] of [['rows', rows], ['cols', cols], ['m', m]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${NAME}: planSplitK needs a positive integer ${what}, got ${v}`);
  }
  const rowTiles = Math.ceil(rows / TILE);
  const colTiles = Math.ceil(cols / TILE);
  const wanted = Math.ceil(targetWorkgroups / (rowTiles * colTiles));
  const byWork = Math.ceil(m / Math.max(DEPTH, minSliceSize));
  const byMemory = Math.floor(maxPartialBytes / (rows * cols * 4));
  // 65535: WebGPU's guaranteed maximum workgroup count per dispatch dimension.
  const first = Math.max(1, Math.min(wanted, byWork, byMemory, 65535));
  const sliceSize = Math.ceil(Math.ceil(m / first) / DEPTH) * DEPTH;
  const slices = Math.ceil(m / sliceSize);
  return { rowTiles, colTiles, slices, sliceSize, steps: sliceSize / DEPTH };
}

/** The structural part of tfjs-backend-webgpu's WebGPUProgram that these programs fill in. */
interface Program {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[]; y?: number[]; z?: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  uniforms?: string;
  size?: boolean;
  getUserCode(): string;
}

type Uniform = { type: 'int32' | 'float32'; data: number[] };

interface WebgpuBackendLike extends tf.KernelBackend {
  runWebGPUProgram(program: Program, inputs: tf.TensorInfo[], dtype: tf.DataType, uniforms?: Uniform[]): tf.TensorInfo;
}

/**
 * Partial weight gradients: workgroup (j, i, s) computes output tile (i, j) of
 * dW[r, co] = sum over m in slice s of A[m, r] * dy[m, co], where r = (kh*KW + kw)*Cin + ci,
 * m = (n*OH + oh)*OW + ow and A[m, r] = x[n, oh*sh - padTop + kh, ow*sw - padLeft + kw, ci] (0 outside x):
 * a matrix product whose inner dimension is the huge M, tiled through workgroup memory DEPTH rows at a
 * time. 16x16 threads each own a 4x4 block of the tile. Each thread stages one reduction position and
 * four consecutive rows (resp. columns) per step: global reads are contiguous along Cin (resp. Cout),
 * workgroup reads are whole vec4s.
 */
class SplitKFilterGradProgram implements Program {
  variableNames = ['x', 'dy'];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [2], y: [1], z: [0] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [16, 16, 1];
  uniforms = 'pads : vec2<i32>, strides : vec2<i32>, filterWidth : i32, kDim : i32, mDim : i32, sliceSize : i32, steps : i32,';

  constructor(outputShape: number[], plan: SplitKPlan) {
    this.outputShape = outputShape;
    this.dispatch = [plan.colTiles, plan.rowTiles, plan.slices];
    this.shaderKey = `unpoolConv2DBackpropFilterSplitK_${TILE}_${DEPTH}`;
  }

  getUserCode(): string {
    const loadRows = [0, 1, 2, 3]
      .map(
        (j) => `
        if (rowOk[${j}]) {
          let ih = ihBase + rowKh[${j}];
          let iw = iwBase + rowKw[${j}];
          if (ih >= 0 && ih < H && iw >= 0 && iw < W) {
            a[${j}] = x[((n * H + ih) * W + iw) * C + rowCi[${j}]];
          }
        }`,
      )
      .join('');
    return `
      var<workgroup> tileA : array<vec4<f32>, ${(DEPTH * TILE) / 4}>;
      var<workgroup> tileB : array<vec4<f32>, ${(DEPTH * TILE) / 4}>;

      fn main() {
        let tx = i32(localId.x);
        let ty = i32(localId.y);
        let lid = ty * 16 + tx;
        let slice = i32(workgroupId.z);
        let rowBase = i32(workgroupId.y) * ${TILE};
        let colBase = i32(workgroupId.x) * ${TILE};
        let mBegin = slice * uniforms.sliceSize;
        let mEnd = min(mBegin + uniforms.sliceSize, uniforms.mDim);
        let H = uniforms.xShape[1];
        let W = uniforms.xShape[2];
        let C = uniforms.xShape[3];
        let OH = uniforms.dyShape[1];
        let OW = uniforms.dyShape[2];
        let CO = uniforms.dyShape[3];

        // What this thread stages: reduction position (depth) d of each step, rows/columns 4q..4q+3.
        let d = lid / 16;
        let q = lid % 16;
        var rowOk : vec4<bool>;
        var rowCi : vec4<i32>;
        var rowKh : vec4<i32>;
        var rowKw : vec4<i32>;
        for (var j = 0; j < 4; j++) {
          let r = rowBase + 4 * q + j;
          let tap = r / C;
          rowOk[j] = r < uniforms.kDim;
          rowCi[j] = r - tap * C;
          rowKh[j] = tap / uniforms.filterWidth;
          rowKw[j] = tap - rowKh[j] * uniforms.filterWidth;
        }
        let col = colBase + 4 * q;

        var acc : array<vec4<f32>, 4>;
        for (var step = 0; step < uniforms.steps; step++) {
          let m = mBegin + step * ${DEPTH} + d;
          var a = vec4<f32>(0.0);
          var b = vec4<f32>(0.0);
          if (m < mEnd) {
            let ow = m % OW;
            let t = m / OW;
            let oh = t % OH;
            let n = t / OH;
            let ihBase = oh * uniforms.strides.x - uniforms.pads.x;
            let iwBase = ow * uniforms.strides.y - uniforms.pads.y;
            ${loadRows}
            let dyBase = m * CO + col;
            for (var j = 0; j < 4; j++) {
              if (col + j < CO) {
                b[j] = dy[dyBase + j];
              }
            }
          }
          tileA[d * 16 + q] = a;
          tileB[d * 16 + q] = b;
          workgroupBarrier();
          for (var k = 0; k < ${DEPTH}; k++) {
            let av = tileA[k * 16 + ty];
            let bv = tileB[k * 16 + tx];
            acc[0] += av.x * bv;
            acc[1] += av.y * bv;
            acc[2] += av.z * bv;
            acc[3] += av.w * bv;
          }
          workgroupBarrier();
        }

        for (var i = 0; i < 4; i++) {
          let r = rowBase + 4 * ty + i;
          if (r < uniforms.kDim) {
            for (var j = 0; j < 4; j++) {
              let c = colBase + 4 * tx + j;
              if (c < CO) {
                result[(slice * uniforms.kDim + r) * CO + c] = acc[i][j];
              }
            }
          }
        }
      }
    `;
  }
}

/** Sums the per-slice partial gradients [S, KH*KW*Cin*Cout] into the filter gradient, one thread per weight. */
class SumSlicesProgram implements Program {
  variableNames = ['partial'];
  outputShape: number[];
  shaderKey = 'unpoolSumSlices';
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [64, 1, 1];
  uniforms = 'numSlices : i32,';
  size = true;

  constructor(outputShape: number[]) {
    this.outputShape = outputShape;
    this.dispatchLayout = { x: outputShape.map((_, i) => i) };
    const total = outputShape.reduce((a, b) => a * b, 1);
    this.dispatch = [Math.ceil(total / this.workgroupSize[0]), 1, 1];
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          // Four independent loads in flight per iteration: with few outputs (a first layer's 27x64
          // weights) each thread walks many slices, and one load at a time would wait on memory.
          var sum = vec4<f32>(0.0);
          let n = uniforms.size;
          var s = 0;
          for (; s + 4 <= uniforms.numSlices; s += 4) {
            sum += vec4<f32>(partial[s * n + index], partial[(s + 1) * n + index], partial[(s + 2) * n + index], partial[(s + 3) * n + index]);
          }
          for (; s < uniforms.numSlices; s++) {
            sum.x += partial[s * n + index];
          }
          setOutputAtIndex(index, (sum.x + sum.y) + (sum.z + sum.w));
        }
      }
    `;
  }
}

const ours = new WeakSet<tf.KernelFunc>();

/**
 * Conv2DBackpropFilter for the webgpu backend as a split-K matrix product in WGSL.
 *
 * Why: the weight gradient reduces over N*OH*OW (393k positions for SegNet-VGG16's first layers at
 * batch 8, 128x384) into a small [KH*KW*Cin, Cout] result. tfjs-webgpu's stock kernel gives each output
 * element one thread that walks the whole reduction, so a layer with 36k weights keeps a GPU's
 * hundred-thousand threads mostly idle: 1.2 s of a 2.3 s VGG16 step on an H200. Here each workgroup
 * reduces one slice of the positions for one 64x64 output tile and a second pass adds up the slices.
 *
 * Supported: NHWC float32, any stride and padding (dilation never occurs in the gradient op). Anything
 * else (NCHW) goes to the kernel registered before this one, when there was one.
 */
export function webgpuConv2dBackpropFilterKernel(): tf.KernelConfig {
  const previous = tf.getKernel(NAME, 'webgpu');
  const fallback = previous !== undefined && !ours.has(previous.kernelFunc) ? previous : undefined;
  const kernelFunc: tf.KernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const a = attrs as unknown as ConvGradAttrs & { filterShape: number[] };
    const nchw = a.dataFormat !== undefined && a.dataFormat !== 'NHWC';
    if (nchw || x.dtype !== 'float32' || dy.dtype !== 'float32') {
      if (fallback === undefined) {
        throw new Error(`${NAME} (webgpu split-K): unsupported dataFormat ${a.dataFormat} / dtypes x ${x.dtype}, dy ${dy.dtype}, and no stock kernel to fall back on`);
      }
      return fallback.kernelFunc(args);
    }
    const b = backend as WebgpuBackendLike;
    const info = forwardConvInfo(NAME, x.shape, a.filterShape, a);
    assertShape(NAME, 'dy', dy.shape, info.outShape);
    if (info.padInfo.top < 0 || info.padInfo.left < 0) {
      throw new Error(`${NAME}: negative padding is not supported (${describeConv(info)})`);
    }
    const rows = info.filterHeight * info.filterWidth * info.inChannels;
    const m = info.batchSize * info.outHeight * info.outWidth;
    const plan = planSplitK(rows, info.outChannels, m);
    const filterShape = [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels];
    // The shader indexes its output directly, so with a single slice it can write the gradient itself.
    const program = new SplitKFilterGradProgram(plan.slices === 1 ? filterShape : [plan.slices, rows * info.outChannels], plan);
    const uniforms: Uniform[] = [
      { type: 'int32', data: [info.padInfo.top, info.padInfo.left] },
      { type: 'int32', data: [info.strideHeight, info.strideWidth] },
      { type: 'int32', data: [info.filterWidth] },
      { type: 'int32', data: [rows] },
      { type: 'int32', data: [m] },
      { type: 'int32', data: [plan.sliceSize] },
      { type: 'int32', data: [plan.steps] },
    ];
    const partial = b.runWebGPUProgram(program, [x, dy], 'float32', uniforms);
    if (plan.slices === 1) return partial;
    try {
      return b.runWebGPUProgram(new SumSlicesProgram(filterShape), [partial], 'float32', [{ type: 'int32', data: [plan.slices] }]);
    } finally {
      b.disposeData(partial.dataId);
    }
  };
  ours.add(kernelFunc);
  return { kernelName: NAME, backendName: 'webgpu', kernelFunc };
}
