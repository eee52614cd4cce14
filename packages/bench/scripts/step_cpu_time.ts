/**
 * CPU time and wall time of the SegNet-mini training step (forward, backward, Adam update) on one engine,
 * steps after warm-up, as JSON on stdout. CPU time (process.cpuUsage, every thread) is what a step costs
 * however busy the machine is; wall time is what it took here. Written against both engine interfaces
 * (the trainer of today, and the gradients-then-tfjs-Adam of before the step moved into the graph), so
 * scripts/bench/train-before-after.sh can run it in two checkouts alternately:
 *   tsx --conditions=@unpool/source packages/bench/scripts/step_cpu_time.ts [unpool] [steps] [threads]
 */
import * as tf from '@tensorflow/tfjs';
import { createEngine, Optimizer, uniformWeights } from '@unpool/exp';
import { createSegNet, paramSpecs, segnetConfig, type UnpoolMode } from '@unpool/models';
import { selectBackend } from '@unpool/runtime';

type Step = () => Promise<void>;

async function main(): Promise<void> {
  const [unpool = 'switch', stepsArg = '10', threadsArg = '1'] = process.argv.slice(2);
  const steps = Number(stepsArg);
  await selectBackend('wasm');
  try {
    // Present in checkouts where engines register themselves; older ones had it built in.
    const name = '@unpool/engine-onnxruntime';
    const mod = (await import(name)) as { registerOnnxruntimeEngine(): boolean };
    mod.registerOnnxruntimeEngine();
  } catch {
    // built in
  }
  const config = segnetConfig({ preset: 'mini', unpool: unpool as UnpoolMode });
  const model = createSegNet(config, 0);
  const engine = createEngine('onnxruntime', config, { threads: Number(threadsArg) });
  const optimizer = new Optimizer({ name: 'adam', lr: 1e-3 });
  const images = tf.randomUniform([8, 64, 192, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const labels = tf.randomUniform([8, 64, 192], 0, 20, 'int32', 2) as tf.Tensor3D;
  const weights = tf.tensor1d(uniformWeights(20, true));
  const batch = { images, labels };
  const e = engine as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  let step: Step;
  if ('trainer' in engine) {
    const trainer = (await e.trainer(model, optimizer)) as { step(...a: unknown[]): Promise<tf.Scalar> };
    step = async () => (await trainer.step(batch, weights, null, 1e-3)).dispose();
  } else {
    const trainable = new Map(paramSpecs(config).filter((s) => s.trainable).map((s) => [s.name, model.params.get(s.name)!]));
    step = async () => {
      const out = (await e.gradients(model, batch, weights, null)) as { loss: tf.Scalar; grads: Map<string, tf.Tensor> };
      optimizer.apply(trainable, out.grads, 1e-3);
      tf.dispose([out.loss, ...out.grads.values()]);
    };
  }
  for (let i = 0; i < 3; i++) await step();
  const cpuMs: number[] = [];
  const wallMs: number[] = [];
  for (let i = 0; i < steps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await step();
    const c = process.cpuUsage(c0);
    wallMs.push(performance.now() - t0);
    cpuMs.push((c.user + c.system) / 1000);
  }
  process.stdout.write(`${JSON.stringify({ unpool, steps, threads: Number(threadsArg), cpuMs, wallMs })}\n`);
  await engine.dispose();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
