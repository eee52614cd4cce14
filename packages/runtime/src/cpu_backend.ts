import { conv2dBackpropFilterKernel } from './conv2d_backprop_filter.js';
import { maxPoolWithArgmaxKernel } from './max_pool_with_argmax.js';
import { replaceKernel } from './replace_kernel.js';
import { resizeNearestNeighborGradKernel } from './resize_nearest_neighbor_grad.js';

/**
 * Prepares the pure-JS cpu backend. Its stock weight-gradient kernel is a scalar loop that takes ~50x
 * the forward pass (49 s for a SegNet-mini step at batch 1); the conv-based one does it in under a second.
 * Its nearest-resize gradient is wrong for batch > 1.
 */
export async function loadCpuBackend(): Promise<void> {
  replaceKernel(conv2dBackpropFilterKernel('cpu'));
  replaceKernel(resizeNearestNeighborGradKernel('cpu'));
  // Same results as the stock kernel except for windows holding NaN, where the stock one returns index -1
  // (outside the tensor); a diverging run must end as 'diverged', not crash in the unpooling.
  replaceKernel(maxPoolWithArgmaxKernel('cpu'));
}
