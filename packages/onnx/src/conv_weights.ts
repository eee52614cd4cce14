/**
 * tfjs stores conv kernels HWIO [kh,kw,in,out]; ONNX Conv wants OIHW [out,in,kh,kw].
 * Returns the reordered copy and its OIHW dims.
 */
export function hwioToOihw(kernel: ArrayLike<number>, hwio: readonly number[]): { data: Float32Array; dims: number[] } {
  if (hwio.length !== 4) throw new Error(`hwioToOihw: kernel shape must be [kh,kw,in,out], got [${hwio}]`);
  const [kh, kw, cin, cout] = hwio;
  if (kernel.length !== kh * kw * cin * cout) {
    throw new Error(`hwioToOihw: ${kernel.length} values for shape [${hwio}]`);
  }
  const data = new Float32Array(kernel.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < cin; i++) {
        for (let o = 0; o < cout; o++) {
          data[((o * cin + i) * kh + y) * kw + x] = kernel[((y * kw + x) * cin + i) * cout + o];
        }
      }
    }
  }
  return { data, dims: [cout, cin, kh, kw] };
}

export interface BatchNormValues {
  gamma: ArrayLike<number>;
  beta: ArrayLike<number>;
  mean: ArrayLike<number>;
  variance: ArrayLike<number>;
}

/**
 * Folds an inference-mode batch norm into the bias-free conv before it:
 *   BN(conv(x, W)) = conv(x, W * s) + (beta - mean * s),  s = gamma / sqrt(variance + epsilon)
 * with s applied per output channel. Computed in float64, stored as float32, so the folded graph differs
 * from the unfolded one by float32 rounding only.
 */
export function foldBatchNorm(
  oihw: Float32Array,
  dims: readonly number[],
  bn: BatchNormValues,
  epsilon: number,
): { weight: Float32Array; bias: Float32Array } {
  const cout = dims[0];
  const perOut = oihw.length / cout;
  for (const k of ['gamma', 'beta', 'mean', 'variance'] as const) {
    if (bn[k].length !== cout) throw new Error(`foldBatchNorm: '${k}' has ${bn[k].length} values for ${cout} output channels`);
  }
  const weight = new Float32Array(oihw.length);
  const bias = new Float32Array(cout);
  for (let o = 0; o < cout; o++) {
    const s = bn.gamma[o] / Math.sqrt(bn.variance[o] + epsilon);
    for (let j = 0; j < perOut; j++) weight[o * perOut + j] = oihw[o * perOut + j] * s;
    bias[o] = bn.beta[o] - bn.mean[o] * s;
  }
  return { weight, bias };
}
