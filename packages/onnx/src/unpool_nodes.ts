import { attr, type GraphBuilder } from './graph_builder.js';

/**
 * ONNX node patterns of the unpooling family, on NCHW tensors. Each reproduces the tfjs op of
 * `@unpool/ops` exactly (no approximation; float results agree bit for bit wherever both sides use IEEE
 * division and multiplication).
 */

const WINDOW = [attr.ints('kernel_shape', [2, 2]), attr.ints('strides', [2, 2])];

/**
 * 2x2 stride-2 max pooling. With `withSwitches` it also returns MaxPool's `Indices` output: int64 flat
 * indices of the maxima in the NCHW tensor, batch included, `((n*C + c)*H + h)*W + w` (storage_order 0,
 * row-major). They differ in layout from `maxPoolWithSwitches`' NHWC switches but name the same window
 * position: on ties ORT's MaxPool keeps the first maximum in row-major window order (strict `>` scan),
 * which is the order our tfjs switches use; the node tests of this package pin that, all-zero windows
 * included.
 */
export function emitMaxPool(g: GraphBuilder, x: string, out: string, withSwitches: boolean): { pooled: string; switches?: string } {
  if (!withSwitches) {
    const [pooled] = g.node('MaxPool', [x], [out], WINDOW);
    return { pooled };
  }
  const [pooled, switches] = g.node('MaxPool', [x], [out, `${out}.indices`], WINDOW);
  return { pooled, switches };
}

/**
 * Switch unpooling: MaxUnpool writes each value of `y` at the flat index its switch names, zeros elsewhere.
 * No `output_shape` input: the inferred size (2h, 2w) is the pre-pool size because SegNet inputs are
 * divisible by 2^blocks, and ORT's MaxUnpool would treat `output_shape` as the allocation shape only
 * (PyTorch semantics), which would hide a mismatch rather than fix it.
 */
export function emitSwitchUnpool(g: GraphBuilder, y: string, switches: string, out: string): string {
  return g.node('MaxUnpool', [y, switches], [out], WINDOW)[0];
}

/**
 * Nearest 2x upsampling: `out[n,c,h,w] = y[n,c,floor(h/2),floor(w/2)]`. asymmetric + floor is the exact
 * block copy; the default half_pixel + round_prefer_floor happens to agree at scale 2, but asymmetric +
 * floor states the intent and stays exact for any integer scale.
 */
export function emitNearestUpsample(g: GraphBuilder, y: string, out: string): string {
  const scales = g.sharedFloat('const.upsample_scales', [4], [1, 1, 2, 2]);
  return g.node('Resize', [y, '', scales], [out], [
    attr.string('mode', 'nearest'),
    attr.string('coordinate_transformation_mode', 'asymmetric'),
    attr.string('nearest_mode', 'floor'),
  ])[0];
}

/**
 * Ratio unpooling `up(y / p) * x`, with the ratio 0 where the pooled value p is 0 (tfjs' divNoNan):
 * Where(Equal(p, 0), 0, Div(y, p)) -> Resize nearest 2x -> Mul with the pre-pool tensor x. The Div's
 * Inf/NaN at p == 0 never leaves the Where.
 */
export function emitRatioUnpool(g: GraphBuilder, y: string, prePool: string, pooled: string, out: string): string {
  const zero = g.sharedFloat('const.zero', [], [0]);
  const [isZero] = g.node('Equal', [pooled, zero], [`${out}.pool_is_zero`]);
  const [quotient] = g.node('Div', [y, pooled], [`${out}.div`]);
  const [ratio] = g.node('Where', [isZero, zero, quotient], [`${out}.ratio`]);
  const up = emitNearestUpsample(g, ratio, `${out}.ratio_up`);
  return g.node('Mul', [up, prePool], [out])[0];
}
