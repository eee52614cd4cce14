import * as tf from '@tensorflow/tfjs';
import { releaseIntermediate, runBackendKernel } from './backend_kernel.js';
import { assertShape, describeConv, forwardConvInfo, type ConvGradAttrs, type ExplicitPad } from './conv_grad_geometry.js';

const NAME = 'Conv2DBackpropInput';

/**
 * Conv2DBackpropInput (the input gradient) computed as one forward `Conv2D` of the backend itself:
 * for a stride-1 forward conv, dx is the "full" correlation of dy with the filter rotated by 180 degrees
 * and its in/out channels swapped. Padding: a forward pad of p on one side becomes k-1-p on that side.
 *
 * Why: the stock wasm kernel is a scalar loop, several times slower than XNNPACK's conv.
 * Supported: stride 1 with any padding whose per-side pad is at most k-1 ('same', 'valid', small
 * explicit pads). Strided convs would need zero-dilated dy, which no stock kernel does cheaply: they throw.
 */
export function conv2dBackpropInputKernel(backendName: string): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const a = attrs as unknown as ConvGradAttrs & { inputShape: number[] };
    const b = backend as tf.KernelBackend;
    const info = forwardConvInfo(NAME, a.inputShape, filter.shape, a);
    assertShape(NAME, 'dy', dy.shape, info.outShape);
    if (dy.dtype !== 'float32' || filter.dtype !== 'float32') {
      throw new Error(`${NAME}: only float32 is supported, got dy ${dy.dtype} and filter ${filter.dtype}`);
    }
    const { filterHeight: kh, filterWidth: kw, padInfo } = info;
    const pad: ExplicitPad = [
      [0, 0],
      [kh - 1 - padInfo.top, kh - 1 - padInfo.bottom],
      [kw - 1 - padInfo.left, kw - 1 - padInfo.right],
      [0, 0],
    ];
    if (info.strideHeight !== 1 || info.strideWidth !== 1 || pad.flat().some((p) => p < 0)) {
      throw new Error(
        `${NAME}: unsupported configuration for the conv-based kernel (${describeConv(info)}): ` +
          `only stride 1 with per-side padding <= filter size - 1 is implemented`,
      );
    }

    const flipped = runBackendKernel('Reverse', backendName, b, { x: filter }, { dims: [0, 1] });
    let swapped: tf.TensorInfo;
    try {
      swapped = runBackendKernel('Transpose', backendName, b, { x: flipped }, { perm: [0, 1, 3, 2] });
    } finally {
      releaseIntermediate(b, flipped);
    }
    let dx: tf.TensorInfo;
    try {
      dx = runBackendKernel('Conv2D', backendName, b, { x: dy, filter: swapped }, {
        strides: [1, 1],
        pad,
        dataFormat: 'NHWC',
        dilations: [1, 1],
      });
    } finally {
      releaseIntermediate(b, swapped);
    }
    try {
      assertShape(NAME, 'dx', dx.shape, a.inputShape);
    } catch (err) {
      releaseIntermediate(b, dx);
      throw err;
    }
    return dx;
  };
  return { kernelName: NAME, backendName, kernelFunc };
}
