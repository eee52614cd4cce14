import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { GRAD_RULES } from './autodiff/grad_rules.js';
import { Tape } from './autodiff/tape.js';
import { emitConv, type ConvLowering } from './conv_nodes.js';
import { attr, valueInfo } from './graph_builder.js';
import { encodeModel } from './model_proto.js';
import type { Lowering } from './segnet_graph.js';
import type { PoolLowering } from './unpool_nodes.js';

/**
 * ONNX Runtime execution providers the SegNet graphs run on. One generated graph per EP: the EP decides only
 * how the pooling switches and the convs are spelled (`PoolLowering`, `ConvLowering`), never a second copy
 * of the model.
 */
export const EXECUTION_PROVIDERS = ['cpu', 'webgpu', 'cuda'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

/** MaxPool's Indices and MaxUnpool exist on ORT's CPU EP only; the GPU EPs get the window-mask form. */
export function poolLowering(ep: ExecutionProvider): PoolLowering {
  return ep === 'cpu' ? 'indices' : 'windows';
}

/** The NCHWc channel blocks MLAS uses on x86-64: AVX-512, then AVX2. */
export const NCHWC_BLOCKS = [16, 8] as const;

/**
 * A conv of 32 channels in and out spelled as standard Conv and as NCHWc with `block`, both outputs of one
 * graph: with the wrong block the filter layout is wrong, and the outputs differ by the data's own size.
 */
function nchwcProbeGraph(block: number): Uint8Array {
  const t = new Tape(GRAD_RULES);
  const dims = [32, 32, 3, 3];
  const [x, w] = [t.input('x'), t.input('w')];
  const attrs = [attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1]), attr.ints('strides', [1, 1])];
  t.node('Identity', [emitConv(t, x, w, dims, attrs, 'onnx')], [], 1, ['plain']);
  t.node('Identity', [emitConv(t, x, w, dims, attrs, { nchwcBlock: block })], [], 1, ['blocked']);
  return encodeModel(t.g, {
    name: 'nchwc_probe',
    doc: 'standard Conv against the NCHWc spelling of one block size',
    inputs: [valueInfo('x', [1, 32, 5, 6]), valueInfo('w', dims)],
    outputs: [valueInfo('plain', [1, 32, 5, 6]), valueInfo('blocked', [1, 32, 5, 6])],
  });
}

/** Whether the installed ORT's CPU EP runs the NCHWc spelling with `block` and gets the standard Conv's result. */
export async function nchwcBlockWorks(block: number): Promise<boolean> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(nchwcProbeGraph(block), { intraOpNumThreads: 1, graphOptimizationLevel: 'basic' });
  } catch {
    return false; // this ORT build has no NCHWc kernels
  }
  try {
    const values = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(1.7 * i + n));
    const out = await session.run({ x: new ort.Tensor('float32', values(32 * 30), [1, 32, 5, 6]), w: new ort.Tensor('float32', values(32 * 32 * 9), [32, 32, 3, 3]) });
    const [plain, blocked] = [out.plain.data as Float32Array, out.blocked.data as Float32Array];
    const scale = plain.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    return plain.every((v, i) => Math.abs(v - blocked[i]) <= 1e-5 * scale);
  } finally {
    await session.release();
  }
}

let cpuConv: Promise<ConvLowering> | null = null;

/**
 * How the training graph spells its convs on `ep`: NCHWc with the block this machine's ORT uses on the CPU
 * EP (probed once per process), standard Conv elsewhere and where no block works.
 */
export async function convLowering(ep: ExecutionProvider): Promise<ConvLowering> {
  if (ep !== 'cpu') return 'onnx';
  cpuConv ??= (async () => {
    for (const block of NCHWC_BLOCKS) if (await nchwcBlockWorks(block)) return { nchwcBlock: block };
    return 'onnx' as const;
  })();
  return cpuConv;
}

/** Everything the training graph spells per EP: the pooling switches and the convs. */
export async function trainLowering(ep: ExecutionProvider): Promise<Lowering> {
  return { pool: poolLowering(ep), conv: await convLowering(ep) };
}

/** The CUDA provider library onnxruntime-node's install script puts next to its binding when asked to. */
export function cudaProviderPath(): string {
  const binding = createRequire(import.meta.url).resolve('onnxruntime-node');
  const root = join(dirname(binding), '..', '..');
  return join(root, 'bin', 'napi-v6', process.platform, process.arch, 'libonnxruntime_providers_cuda.so');
}

/** Throws a clear error when `ep` cannot be used in this installation (before any session is made). */
export function assertExecutionProvider(ep: ExecutionProvider, cudaLibrary: string = cudaProviderPath()): void {
  if (ep === 'cuda' && !existsSync(cudaLibrary)) {
    throw new Error(
      `--ep cuda: onnxruntime-node's CUDA 12 providers are not installed (no ${cudaLibrary}). Reinstall it with ` +
        `ONNXRUNTIME_NODE_INSTALL=cuda12 (README: "ONNX Runtime's execution providers"), or use --ep webgpu / --ep cpu.`,
    );
  }
}

/** How a session uses the CPU: its intra-op threads, and whether their workers may spin-wait. */
export interface CpuThreading {
  /** ORT intra-op threads (MLAS GEMM/conv); undefined or 0 lets ORT use one per physical core. */
  threads?: number;
  /**
   * Workers spin between parallel sections (ORT's own default) instead of sleeping. Only for a process
   * that has its cores to itself (`exp run`, `pnpm bench train`): there sleeping costs 3-10% of the
   * SegNet-mini step on 2 threads (`pnpm bench train --workers spin|sleep`, alternated). Where cores are
   * shared (tests, the ONNX check next to a parallel job, a benchmark next to training) a spinning worker
   * takes its core from whoever needs it: sleeping took 0.4-0.8x the spinning time on a busy 2-core
   * machine. One thread has no workers.
   */
  spinWait?: boolean;
}

/**
 * Session options for `ep`. On a GPU EP, `disable_cpu_ep_fallback` makes session creation fail if any node
 * would run on the CPU EP (a host round trip inside the step) instead of silently placing it there.
 */
export function sessionOptionsFor(ep: ExecutionProvider, cpu: CpuThreading = {}): ort.InferenceSession.SessionOptions {
  const common = { graphOptimizationLevel: 'all', intraOpNumThreads: cpu.threads ?? 0, interOpNumThreads: 1, executionMode: 'sequential' } as const;
  if (ep === 'cpu') return { ...common, executionProviders: ['cpu'], extra: { session: { 'intra_op.allow_spinning': cpu.spinWait ? '1' : '0' } } };
  return { ...common, executionProviders: [ep], extra: { session: { disable_cpu_ep_fallback: '1' } } };
}

const NO_ADAPTER_HINT =
  'ORT WebGPU EP: no usable Vulkan adapter. It needs a Vulkan driver and libvulkan1: on a GPU box the ' +
  "driver's Vulkan ICD (see shared/docs/gpu-box.md); without a GPU, Mesa >= 25 lavapipe (bash scripts/setup.sh --test " +
  'installs mesa-vulkan-drivers and libvulkan1 from bookworm-backports; 22.3 is refused by Dawn)';

/** ORT's error for a session that could not be made on `ep`, with what to install when the device is missing. */
export function explainSessionError(ep: ExecutionProvider, err: unknown): Error {
  const text = err instanceof Error ? err.message : String(err);
  if (ep === 'webgpu' && /Failed to get a WebGPU adapter|No supported adapters/i.test(text)) return new Error(`${NO_ADAPTER_HINT}\n(${text})`);
  if (ep !== 'cpu' && /assigned to the default CPU EP/.test(text)) {
    return new Error(`the graph has nodes ${ep} cannot run (they would fall back to the CPU EP, copying to the host inside the step): ${text}`);
  }
  return err instanceof Error ? err : new Error(text);
}

/** A session on `ep` (with `sessionOptionsFor` plus `extra`), its failure explained. */
export async function createSession(
  bytes: Uint8Array,
  ep: ExecutionProvider,
  cpu: CpuThreading,
  extra: Partial<ort.InferenceSession.SessionOptions> = {},
): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(bytes, { ...sessionOptionsFor(ep, cpu), ...extra });
  } catch (err) {
    throw explainSessionError(ep, err);
  }
}
