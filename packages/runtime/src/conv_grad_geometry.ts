import * as tf from '@tensorflow/tfjs';

type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
type Shape4 = [number, number, number, number];

/** Explicit NHWC padding as the `Conv2D` kernel's `pad` attribute takes it. */
export type ExplicitPad = [[0, 0], [number, number], [number, number], [0, 0]];

/** What the backprop kernels receive as attributes (`Conv2DBackpropFilterAttrs` minus the shape). */
export interface ConvGradAttrs {
  strides: [number, number] | number;
  pad: Pad;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * The forward convolution's geometry, recomputed from the gradient kernel's attributes.
 * Throws for what the conv-based gradients do not implement (NCHW), naming the kernel.
 */
export function forwardConvInfo(
  kernelName: string,
  xShape: number[],
  filterShape: number[],
  attrs: ConvGradAttrs,
): tf.backend_util.Conv2DInfo {
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') {
    throw new Error(`${kernelName}: dataFormat '${attrs.dataFormat}' is not supported by the conv-based kernel (NHWC only)`);
  }
  if (xShape.length !== 4 || filterShape.length !== 4) {
    throw new Error(`${kernelName}: expected 4-D input and filter, got [${xShape}] and [${filterShape}]`);
  }
  return tf.backend_util.computeConv2DInfo(
    xShape as Shape4,
    filterShape as Shape4,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}

/** Throws unless `actual` equals `expected`, so a geometry mistake never returns a wrong-shaped gradient. */
export function assertShape(kernelName: string, what: string, actual: number[], expected: number[]): void {
  if (actual.length !== expected.length || actual.some((d, i) => d !== expected[i])) {
    throw new Error(`${kernelName}: ${what} has shape [${actual}], expected [${expected}]`);
  }
}

export function describeConv(info: tf.backend_util.Conv2DInfo): string {
  const p = info.padInfo;
  return (
    `filter ${info.filterHeight}x${info.filterWidth}, strides [${info.strideHeight},${info.strideWidth}], ` +
    `pad ${p.type} (top ${p.top}, bottom ${p.bottom}, left ${p.left}, right ${p.right}), ` +
    `input ${info.inHeight}x${info.inWidth} -> output ${info.outHeight}x${info.outWidth}`
  );
}
