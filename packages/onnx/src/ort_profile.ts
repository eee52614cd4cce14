import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { SegNetConfig } from '@unpool/models';
import * as ort from 'onnxruntime-node';
import { createSession, trainLowering } from './execution_provider.js';
import type { GraphOptimizer } from './optimizer_graph.js';
import { IMAGES } from './segnet_graph.js';
import { buildSegnetTrainGraph, CLASS_WEIGHTS, CPU_TRAIN_SESSION, LABELS, LR, NEXT } from './segnet_train_graph.js';

/** One event of ORT's Chrome-trace profile (only the fields we read). */
export interface OrtTraceEvent {
  cat?: string;
  name?: string;
  dur?: number;
  args?: { op_name?: string; thread_scheduling_stats?: unknown };
}

export interface OpTime {
  op: string;
  ms: number;
  calls: number;
}

export interface OrtStepProfile {
  /** Mean wall time of one `session.run` as ORT's trace records it (`model_run`). */
  runMs: number;
  /** Sum over one step of the kernels' own times (the rest of runMs is ORT's executor and thread-pool overhead). */
  kernelMs: number;
  /** Kernel time per op type per step, most expensive first. */
  byOp: OpTime[];
  /** The most expensive single nodes per step (node name, op type). */
  topNodes: Array<OpTime & { node: string }>;
}

const KERNEL_SUFFIX = '_kernel_time';

/**
 * Sums an ORT trace into per-step times: kernel time by op type and by node, divided by the `steps` runs
 * the trace holds. Pure, so the summary is testable without a session.
 */
export function summarizeOrtTrace(events: readonly OrtTraceEvent[], steps: number, topNodes = 15): OrtStepProfile {
  const byOp = new Map<string, OpTime>();
  const byNode = new Map<string, OpTime & { node: string }>();
  let runUs = 0;
  let kernelUs = 0;
  for (const e of events) {
    if (e.cat === 'Session' && e.name === 'model_run') runUs += e.dur ?? 0;
    if (e.cat !== 'Node' || !e.name?.endsWith(KERNEL_SUFFIX)) continue;
    const op = e.args?.op_name ?? '?';
    const node = e.name.slice(0, -KERNEL_SUFFIX.length);
    const us = e.dur ?? 0;
    kernelUs += us;
    const o = byOp.get(op) ?? { op, ms: 0, calls: 0 };
    o.ms += us / 1000;
    o.calls += 1;
    byOp.set(op, o);
    const n = byNode.get(node) ?? { node, op, ms: 0, calls: 0 };
    n.ms += us / 1000;
    n.calls += 1;
    byNode.set(node, n);
  }
  const perStep = <T extends OpTime>(x: T): T => ({ ...x, ms: x.ms / steps, calls: x.calls / steps });
  const sorted = <T extends OpTime>(xs: Iterable<T>) => [...xs].map(perStep).sort((a, b) => b.ms - a.ms);
  return { runMs: runUs / 1000 / steps, kernelMs: kernelUs / 1000 / steps, byOp: sorted(byOp.values()), topNodes: sorted(byNode.values()).slice(0, topNodes) };
}

/** A deterministic pseudo-random fill in [-scale, scale) (no tfjs: this module stays engine-free). */
function fill(n: number, seed: number, scale: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 2 ** 32 - 0.5) * 2 * scale;
  }
  return out;
}

export interface OrtProfileOptions {
  threads: number;
  /** Spin-waiting workers, as `exp run`'s sessions have them (`CpuThreading`). */
  spinWait?: boolean;
  batch: number;
  height: number;
  width: number;
  /** Untimed steps before profiling starts (session warm-up, allocator arena growth). */
  warmup: number;
  steps: number;
  optimizer?: GraphOptimizer;
  /** Extra session options (e.g. `extra.session` config entries) layered over `sessionOptionsFor`. */
  sessionOptions?: Partial<ort.InferenceSession.SessionOptions>;
}

/**
 * Profiles the CPU training-step graph of `config` with ORT's own profiler: `warmup` + `steps` steps in one
 * session (ORT profiles from its creation), the state fed back step to step as the trainer does; the
 * summary covers the last `steps`.
 */
export async function profileOrtTrainStep(config: SegNetConfig, o: OrtProfileOptions): Promise<OrtStepProfile> {
  const graph = buildSegnetTrainGraph(config, o.optimizer ?? { name: 'adam' }, { lowering: await trainLowering('cpu') });
  const prefix = join(tmpdir(), `ort-profile-${process.pid}-${Date.now()}`);
  const session = await createSession(graph.bytes, 'cpu', { threads: o.threads, spinWait: o.spinWait }, { ...CPU_TRAIN_SESSION, ...o.sessionOptions, enableProfiling: true, profileFilePrefix: prefix });
  const { batch, height, width } = o;
  const pixels = batch * height * width;
  let state: Record<string, ort.Tensor> = Object.fromEntries(
    graph.state.map((s, i) => {
      const n = s.shape.reduce((a, b) => a * b, 1);
      const values = s.name.includes('#') ? new Float32Array(n) : s.name.endsWith('.variance') || s.name.endsWith('.gamma') ? new Float32Array(n).fill(1) : fill(n, i + 1, 0.1);
      return [s.name, new ort.Tensor('float32', values, s.shape)];
    }),
  );
  const labels = Int32Array.from(fill(pixels, 7, 1), (v) => Math.floor((v + 1) * 0.5 * config.classes) % config.classes);
  const masks = Object.fromEntries(graph.masks.map((m, i) => {
    const shape = [batch, height / m.scale, width / m.scale, m.channels];
    const n = shape.reduce((a, b) => a * b, 1);
    return [m.mask, new ort.Tensor('float32', Float32Array.from(fill(n, 100 + i, 1), (v) => (v > 0 ? 2 : 0)), shape)];
  }));
  const fixed = {
    [IMAGES]: new ort.Tensor('float32', Float32Array.from(fill(pixels * config.inputChannels, 3, 0.5), (v) => v + 0.5), [batch, height, width, config.inputChannels]),
    [LABELS]: new ort.Tensor('int32', labels, [batch, height, width]),
    [CLASS_WEIGHTS]: new ort.Tensor('float32', new Float32Array(config.classes).fill(1), [config.classes]),
    [LR]: new ort.Tensor('float32', Float32Array.of(1e-3), []),
    ...masks,
  };
  try {
    for (let i = 0; i < o.warmup + o.steps; i++) {
      const out = await session.run({ ...fixed, ...state });
      state = Object.fromEntries(graph.state.map((s) => [s.name, out[`${NEXT}${s.name}`]]));
    }
  } finally {
    session.endProfiling();
    await session.release();
  }
  // onnxruntime-node's endProfiling returns nothing: ORT names the file `<prefix>_<date>.json`.
  const found = readdirSync(dirname(prefix)).filter((f) => f.startsWith(`${basename(prefix)}_`) && f.endsWith('.json'));
  if (found.length !== 1) throw new Error(`ORT profile: expected one trace ${prefix}_*.json, found ${found.length}`);
  const file = join(dirname(prefix), found[0]);
  // The trace covers the warm-up too: only the last `steps` runs' events are kept.
  const trace = JSON.parse(readFileSync(file, 'utf8')) as OrtTraceEvent[];
  rmSync(file, { force: true });
  return summarizeOrtTrace(lastRuns(trace, o.steps), o.steps);
}

/** The events of the last `runs` `model_run`s of a trace (ORT writes them in order, each run's nodes before its model_run). */
export function lastRuns(events: readonly OrtTraceEvent[], runs: number): OrtTraceEvent[] {
  const ends = events.flatMap((e, i) => (e.cat === 'Session' && e.name === 'model_run' ? [i] : []));
  if (ends.length < runs) throw new Error(`ORT profile: ${ends.length} runs in the trace, ${runs} asked for`);
  const from = ends.length > runs ? ends[ends.length - runs - 1] + 1 : 0;
  return events.slice(from, ends[ends.length - 1] + 1);
}
