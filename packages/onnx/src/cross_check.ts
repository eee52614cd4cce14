import * as tf from '@tensorflow/tfjs';
import { segnetForward, type SegNet } from '@unpool/models';
import { selectBackend } from '@unpool/runtime';
import { z } from 'zod';
import { ONNX_IR_VERSION, ONNX_OPSET } from './export_options.js';
import { nchwToNhwc, nhwcToNchw } from './layout.js';
import { compareLogits, type LogitAgreement } from './logit_agreement.js';
import { median } from './median.js';
import { createOrtSession, ortVersion, runOrt } from './ort_session.js';
import { exportOnnx } from './segnet_onnx.js';

/**
 * Limits of a passing check. Switch unpooling is discontinuous in its input: a rounding-level difference
 * between two nearly equal values of a pooling window (the engines sum a conv in different orders; batch
 * norm folded into the weights rounds again) moves the switch, and with it a whole value, to the
 * neighbouring cell, and a flip in a deep block spreads over a patch of the output. So for switch models
 * values beyond `maxAbsDiff` pass while they stay under `switchOverFraction` of all logits (a wrong weight
 * layout or a border bug touches far more); every other mode is continuous and must stay within
 * `maxAbsDiff` everywhere. Argmax agreement and finite logits are required of every mode. (Measured on the
 * committed 3-seed runs: up to 0.17% of a Bayesian switch model's logits, 0.03% of a plain one's.)
 */
export const CHECK_THRESHOLDS = { maxAbsDiff: 1e-3, argmaxAgreement: 0.999, switchOverFraction: 0.01 } as const;

/** Whether an agreement passes the check for a model with this unpooling mode (see CHECK_THRESHOLDS). */
export function checkPasses(agreement: Pick<LogitAgreement, 'nonFinite' | 'maxAbsDiff' | 'argmaxAgreement' | 'overTolerance'>, unpool: string): boolean {
  const close = agreement.maxAbsDiff <= CHECK_THRESHOLDS.maxAbsDiff || (unpool === 'switch' && agreement.overTolerance <= CHECK_THRESHOLDS.switchOverFraction);
  return agreement.nonFinite === 0 && close && agreement.argmaxAgreement >= CHECK_THRESHOLDS.argmaxAgreement;
}

/** Images to check: HWC float arrays in [0,1] (all of `imageSize`), or an NHWC batch tensor. */
export type CheckImages = Float32Array[] | tf.Tensor4D;

const positiveInt = z.number().int().positive();

export const crossCheckOptionsSchema = z
  .object({
    /** ORT intraOpNumThreads settings to time; accuracy is checked with the first. */
    threads: z.array(positiveInt.max(64)).min(1).default([1, 2]),
    /** tfjs backend to run on (selected if not active); by default the active one. */
    backend: z.enum(['cpu', 'wasm']).optional(),
    layout: z.enum(['NHWC', 'NCHW']).default('NHWC'),
    foldBatchNorm: z.boolean().default(true),
    /** [height, width] of Float32Array images; ignored for a tensor. */
    imageSize: z.tuple([positiveInt, positiveInt]).optional(),
    /** Timed passes over every image (after one warm-up), per engine and thread count. */
    timingRepeats: positiveInt.max(1000).default(3),
  })
  .strict();

export type CrossCheckOptions = z.input<typeof crossCheckOptionsSchema>;

/** The outcome of a cross-check: JSON-serialisable as is (every number finite). */
export interface OnnxCheck {
  passed: boolean;
  thresholds: { maxAbsDiff: number; argmaxAgreement: number; switchOverFraction?: number };
  maxAbsDiff: number;
  maxRelDiff: number;
  /** Fraction of logits differing by more than `thresholds.maxAbsDiff` (absent in checks recorded before it). */
  overMaxAbsDiff?: number;
  argmaxAgreement: number;
  /** Logits that are NaN/Inf in one engine and not identical in the other (any makes the check fail). */
  nonFinite: number;
  images: number;
  imageSize: [number, number];
  pixels: number;
  unpool: string;
  /** A Bayesian model is checked (and exported) as its deterministic pass; MC dropout is outside the graph. */
  bayesian: boolean;
  opset: number;
  irVersion: number;
  layout: 'NHWC' | 'NCHW';
  foldBatchNorm: boolean;
  ortVersion: string;
  /** Median ms per image (batch 1) per ORT thread setting, keyed `threads<n>`. */
  ortMsPerImage: Record<string, number>;
  tfjsBackend: string;
  tfjsVersion: string;
  /** Median ms per image (batch 1) for the tfjs forward pass, reading the logits back included. */
  tfjsMsPerImage: number;
  timingRepeats: number;
  /** Size of the exported model.onnx. */
  fileBytes: number;
}

function parseOptions(options: CrossCheckOptions | undefined) {
  const parsed = crossCheckOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `'${i.path.join('.') || '(options)'}': ${i.message}`).join('; ');
    throw new Error(`crossCheck: invalid options: ${issues}`);
  }
  return parsed.data;
}

/** The images as one NHWC tensor; `owned` says whether this module created (and must dispose) it. */
function imageBatch(model: SegNet, images: CheckImages, imageSize: [number, number] | undefined): { batch: tf.Tensor4D; owned: boolean } {
  const c = model.config.inputChannels;
  if (images instanceof tf.Tensor) {
    if (images.rank !== 4 || images.shape[3] !== c || images.shape[0] < 1) {
      throw new Error(`crossCheck: 'images' tensor has shape [${images.shape}], expected [N>=1,H,W,${c}]`);
    }
    return { batch: images, owned: false };
  }
  if (!Array.isArray(images) || images.length === 0) throw new Error(`crossCheck: 'images' must be a non-empty array or a tensor`);
  if (!imageSize) throw new Error(`crossCheck: 'imageSize' [height, width] is required when images are Float32Arrays`);
  const [h, w] = imageSize;
  const flat = new Float32Array(images.length * h * w * c);
  images.forEach((img, i) => {
    if (!(img instanceof Float32Array) || img.length !== h * w * c) {
      throw new Error(`crossCheck: images[${i}] has ${img?.length} values, expected ${h}x${w}x${c} = ${h * w * c} (HWC)`);
    }
    if (!img.every(Number.isFinite)) throw new Error(`crossCheck: images[${i}] holds NaN or Inf`);
    flat.set(img, i * h * w * c);
  });
  return { batch: tf.tensor4d(flat, [images.length, h, w, c]), owned: true };
}

async function tfjsLogits(model: SegNet, images: tf.Tensor4D): Promise<Float32Array> {
  const logits = tf.tidy(() => segnetForward(model.config, model.params, images, { training: false, dropoutSeed: null }));
  try {
    return Float32Array.from((await logits.data()) as Float32Array);
  } finally {
    logits.dispose();
  }
}

async function timeIt(repeats: number, items: number, run: (item: number) => Promise<unknown>): Promise<number> {
  await run(0);
  const ms: number[] = [];
  for (let r = 0; r < repeats; r++) {
    for (let i = 0; i < items; i++) {
      const t0 = performance.now();
      await run(i);
      ms.push(performance.now() - t0);
    }
  }
  return median(ms);
}

/**
 * Exports `model`, runs the same images through tfjs (active backend) and onnxruntime-node, and compares
 * the logits; also times both at batch 1. Returns the check and the exported bytes.
 */
export async function crossCheckWithOnnx(
  model: SegNet,
  images: CheckImages,
  options?: CrossCheckOptions,
): Promise<{ check: OnnxCheck; onnx: Uint8Array }> {
  const o = parseOptions(options);
  if (o.backend && tf.getBackend() !== o.backend) await selectBackend(o.backend);
  const { batch, owned } = imageBatch(model, images, o.imageSize);
  const sessions: Awaited<ReturnType<typeof createOrtSession>>[] = [];
  try {
    const [n, h, w, c] = batch.shape;
    const classes = model.config.classes;
    const nhwc = Float32Array.from((await batch.data()) as Float32Array);
    const reference = await tfjsLogits(model, batch);

    const onnx = exportOnnx(model, { opset: ONNX_OPSET, batch: 'dynamic', layout: o.layout, foldBatchNorm: o.foldBatchNorm });
    for (const t of o.threads) sessions.push(await createOrtSession(onnx, t));
    const toOrt = (data: Float32Array, count: number) =>
      o.layout === 'NHWC'
        ? { data, dims: [count, h, w, c] }
        : { data: nhwcToNchw(data, [count, h, w, c]), dims: [count, c, h, w] };
    const feed = toOrt(nhwc, n);
    const out = await runOrt(sessions[0], feed.data, feed.dims);
    const ortLogits = o.layout === 'NHWC' ? out.data : nchwToNhwc(out.data, out.dims);
    const agreement = compareLogits(reference, ortLogits, classes, CHECK_THRESHOLDS.maxAbsDiff);

    const perImage = h * w * c;
    const singles = Array.from({ length: n }, (_, i) => toOrt(nhwc.subarray(i * perImage, (i + 1) * perImage), 1));
    const ortMsPerImage: Record<string, number> = {};
    for (let s = 0; s < sessions.length; s++) {
      ortMsPerImage[`threads${o.threads[s]}`] = await timeIt(o.timingRepeats, n, (i) =>
        runOrt(sessions[s], singles[i].data, singles[i].dims),
      );
    }
    const slices = Array.from({ length: n }, (_, i) => batch.slice([i, 0, 0, 0], [1, h, w, c]));
    let tfjsMsPerImage: number;
    try {
      tfjsMsPerImage = await timeIt(o.timingRepeats, n, (i) => tfjsLogits(model, slices[i]));
    } finally {
      slices.forEach((t) => t.dispose());
    }

    const passed = checkPasses(agreement, model.config.unpool);
    const check: OnnxCheck = {
      passed,
      thresholds: { ...CHECK_THRESHOLDS },
      maxAbsDiff: agreement.maxAbsDiff,
      maxRelDiff: agreement.maxRelDiff,
      overMaxAbsDiff: agreement.overTolerance,
      argmaxAgreement: agreement.argmaxAgreement,
      nonFinite: agreement.nonFinite,
      images: n,
      imageSize: [h, w],
      pixels: agreement.pixels,
      unpool: model.config.unpool,
      bayesian: model.config.bayesian,
      opset: ONNX_OPSET,
      irVersion: ONNX_IR_VERSION,
      layout: o.layout,
      foldBatchNorm: o.foldBatchNorm,
      ortVersion: ortVersion(),
      ortMsPerImage,
      tfjsBackend: tf.getBackend(),
      tfjsVersion: tf.version.tfjs,
      tfjsMsPerImage,
      timingRepeats: o.timingRepeats,
      fileBytes: onnx.byteLength,
    };
    return { check, onnx };
  } finally {
    await Promise.all(sessions.map((s) => s.release()));
    if (owned) batch.dispose();
  }
}

/** `crossCheckWithOnnx` without the bytes: the agreement and timing numbers only. */
export async function crossCheck(model: SegNet, images: CheckImages, options?: CrossCheckOptions): Promise<OnnxCheck> {
  return (await crossCheckWithOnnx(model, images, options)).check;
}

/** Returns a passing check; throws, with every number, for one that failed. */
export function checkOrThrow(check: OnnxCheck): OnnxCheck {
  if (check.passed) return check;
  const pct = (f: number) => `${(f * 100).toFixed(3)}%`;
  throw new Error(
    `ONNX cross-check FAILED for SegNet (${check.unpool} unpooling, layout ${check.layout}, ` +
      `foldBatchNorm ${check.foldBatchNorm}, opset ${check.opset}) on ${check.images} image(s) ${check.imageSize.join('x')}, ` +
      `tfjs ${check.tfjsBackend} vs onnxruntime-node ${check.ortVersion}: ` +
      `max |logit diff| = ${check.maxAbsDiff.toExponential(3)} (limit ${check.thresholds.maxAbsDiff}), ` +
      (check.overMaxAbsDiff === undefined ? '' : `${pct(check.overMaxAbsDiff)} of logits beyond the limit, `) +
      (check.unpool === 'switch' ? `(switch unpooling: up to ${pct(CHECK_THRESHOLDS.switchOverFraction)} may be), ` : '') +
      `max relative diff = ${check.maxRelDiff.toExponential(3)}, ` +
      `argmax agreement = ${pct(check.argmaxAgreement)} (limit ${pct(check.thresholds.argmaxAgreement)}), ` +
      `non-finite logits = ${check.nonFinite}`,
  );
}
