import * as tf from '@tensorflow/tfjs';
import { releaseIntermediate, runBackendKernel } from './backend_kernel.js';
import { assertShape, describeConv, forwardConvInfo, type ConvGradAttrs, type ExplicitPad } from './conv_grad_geometry.js';

const NAME = 'Conv2DBackpropFilter';

/**
 * Conv2DBackpropFilter (the weight gradient) computed as one forward `Conv2D` of the backend itself.
 *
 * dW[kh,kw,ci,co] = sum over n,oh,ow of x[n, oh*s+kh-padTop, ow*s+kw-padLeft, ci] * dy[n,oh,ow,co]
 * is a convolution of xT = x^[3,1,2,0] (batch ci, channels n) with the "filter" dyT = dy^[1,2,0,3]
 * (size OHxOW, n in, co out) at dilation = forward stride, which yields [ci,KH,KW,co]. Its padding keeps
 * the forward top/left padding; the bottom/right padding is whatever makes the output exactly KHxKW.
 *
 * When the strided windows never reach the last input rows/columns that padding would be negative; it is
 * 0 instead, and the extra output rows/columns (taps beyond the filter) are cut off the small result.
 *
 * Why: the stock wasm backend has no such kernel (training fails) and the stock cpu one is a scalar loop
 * ~50x slower than its forward conv; XNNPACK's conv does the same sum in a few hundred ms.
 * Supported: NHWC float32, any stride and padding (the gradient op never has dilations).
 */
export function conv2dBackpropFilterKernel(backendName: string): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const a = attrs as unknown as ConvGradAttrs & { filterShape: number[] };
    const b = backend as tf.KernelBackend;
    const info = forwardConvInfo(NAME, x.shape, a.filterShape, a);
    assertShape(NAME, 'dy', dy.shape, info.outShape);
    if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
      throw new Error(`${NAME}: only float32 is supported, got x ${x.dtype} and dy ${dy.dtype}`);
    }
    const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, padInfo } = info;
    const padBottom = kh + (info.outHeight - 1) * sh - info.inHeight - padInfo.top;
    const padRight = kw + (info.outWidth - 1) * sw - info.inWidth - padInfo.left;
    if (padInfo.top < 0 || padInfo.left < 0) {
      throw new Error(`${NAME}: negative padding is not supported (${describeConv(info)})`);
    }
    const pad: ExplicitPad = [[0, 0], [padInfo.top, Math.max(0, padBottom)], [padInfo.left, Math.max(0, padRight)], [0, 0]];

    const xT = runBackendKernel('Transpose', backendName, b, { x }, { perm: [3, 1, 2, 0] });
    const dyT = runBackendKernel('Transpose', backendName, b, { x: dy }, { perm: [1, 2, 0, 3] });
    let conv: tf.TensorInfo;
    try {
      conv = runBackendKernel('Conv2D', backendName, b, { x: xT, filter: dyT }, {
        strides: [1, 1],
        pad,
        dataFormat: 'NHWC',
        dilations: [sh, sw],
      });
    } finally {
      releaseIntermediate(b, xT);
      releaseIntermediate(b, dyT);
    }
    const wantedShape = [info.inChannels, kh, kw, info.outChannels];
    let trimmed = conv;
    try {
      assertShape(NAME, 'the inner convolution', conv.shape, [
        info.inChannels,
        kh + Math.max(0, -padBottom),
        kw + Math.max(0, -padRight),
        info.outChannels,
      ]);
      if (padBottom < 0 || padRight < 0) {
        trimmed = runBackendKernel('Slice', backendName, b, { x: conv }, { begin: [0, 0, 0, 0], size: wantedShape });
      }
      return runBackendKernel('Transpose', backendName, b, { x: trimmed }, { perm: [1, 2, 0, 3] });
    } finally {
      releaseIntermediate(b, conv);
      if (trimmed !== conv) releaseIntermediate(b, trimmed);
    }
  };
  return { kernelName: NAME, backendName, kernelFunc };
}
