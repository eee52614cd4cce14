import { describe, expect, it } from 'vitest';
import { selectBackend } from '@unpool/runtime';
import { cosine } from '../src/testing.js';
import { relativeError } from './kernel_helpers.js';
import { runChained, runStage, segnetMini, SEGNET_MINI, type ChainedRun } from './segnet_mini_net.js';

/**
 * Acceptance check at the experiments' size (batch 8 at 64x192). Two comparisons, because end-to-end
 * weight gradients of a ReLU/max-pool net are not a well-conditioned function of float32 rounding:
 * scaling the input by (1 + 1e-7) on ONE backend already moves some weight gradients by ~1e-2 relative
 * (a pre-activation within rounding of 0 flips a ReLU or a pooling switch). So:
 *  - every stage (conv+BN, ReLU, pool, upsample, classifier+loss) is run alone on wasm from the cpu
 *    run's own stage input and output gradient: its output, input gradient and every weight gradient
 *    must match cpu within 1e-4 relative (max |diff| / max |cpu|). Together the stages are the whole
 *    forward and backward pass.
 *  - the whole step on wasm: the loss within 1e-4 relative, each weight gradient pointing the same way
 *    (cosine > 0.99; a wrong kernel, like tfjs's batch>1 nearest-resize gradient, gives far less).
 */
describe('SegNet-mini step, batch 8 at 64x192: wasm matches cpu', () => {
  it('stage by stage within 1e-4, and end to end', { timeout: 900_000 }, async () => {
    const { stages } = segnetMini(SEGNET_MINI);
    await selectBackend('cpu');
    const ref: ChainedRun = runChained(SEGNET_MINI);
    await selectBackend('wasm');

    const errors: [string, number][] = [];
    stages.forEach((stage, k) => {
      const got = runStage(SEGNET_MINI, k, ref.acts[k], ref.dActs[k + 1]);
      errors.push([`${stage.name} output`, relativeError(got.output.data, ref.acts[k + 1].data)]);
      errors.push([`${stage.name} input gradient`, relativeError(got.dInput.data, ref.dActs[k].data)]);
      for (const [name, g] of got.dParams) errors.push([`${name} gradient`, relativeError(g, ref.dParams.get(name)!)]);
    });
    const weightGrads = errors.filter(([n]) => !n.includes('output') && !n.includes('input'));
    expect(weightGrads.length).toBe(ref.dParams.size);
    for (const [name, err] of errors) expect(err, name).toBeLessThan(1e-4);

    const whole = runChained(SEGNET_MINI);
    expect(Number.isFinite(ref.loss)).toBe(true);
    expect(Math.abs(whole.loss - ref.loss) / Math.abs(ref.loss)).toBeLessThan(1e-4);
    for (const [name, g] of ref.dParams) {
      // An all-zero gradient would match trivially.
      expect(g.some((v) => v !== 0), name).toBe(true);
      expect(cosine(whole.dParams.get(name)!, g), name).toBeGreaterThan(0.99);
    }
  });
});
