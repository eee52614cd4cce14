import { z } from 'zod';

/** The opset and IR version the exporter writes; ORT 1.30 loads this pair (see ENVIRONMENT.md). */
export const ONNX_OPSET = 17;
export const ONNX_IR_VERSION = 8;

export const exportOptionsSchema = z
  .object({
    opset: z.literal(ONNX_OPSET).default(ONNX_OPSET),
    /** 'dynamic' declares the batch dimension as the symbol `batch`; a number fixes it. */
    batch: z.union([z.literal('dynamic'), z.number().int().positive()]).default('dynamic'),
    /** Layout of the graph's `images` input and `logits` output; the graph itself computes NCHW. */
    layout: z.enum(['NHWC', 'NCHW']).default('NHWC'),
    /** Fold each inference batch norm into its conv's weight and bias (true) or keep BatchNormalization nodes. */
    foldBatchNorm: z.boolean().default(true),
    /**
     * [height, width] to fix in the declared shapes; by default they are the symbols `height` and `width`
     * (SegNet is fully convolutional: any size divisible by 2^blocks runs).
     */
    inputSize: z.tuple([z.number().int().positive(), z.number().int().positive()]).optional(),
  })
  .strict();

export type ExportOptions = z.input<typeof exportOptionsSchema>;
export type ResolvedExportOptions = z.output<typeof exportOptionsSchema>;

export function parseExportOptions(options: ExportOptions | undefined): ResolvedExportOptions {
  const parsed = exportOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `'${i.path.join('.') || '(options)'}': ${i.message}`).join('; ');
    throw new Error(`exportOnnx: invalid options ${JSON.stringify(options)}: ${issues}`);
  }
  return parsed.data;
}
