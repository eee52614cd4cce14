import type { SegNetConfig } from '@unpool/models';

/**
 * Bytes per image the unpooling layers keep between encoder and decoder, from shapes alone:
 * `training` counts what exists only for unpooling beyond what backprop retains anyway (the int32 switches
 * of switch unpooling; nothing for ratio, which reuses the retained pre-pool and pooled tensors);
 * `inference` counts what a forward-only pass must hold (switches, or pre-pool + pooled float32 tensors).
 */
export function unpoolBytesPerImage(c: SegNetConfig, height: number, width: number): { training: number; inference: number } {
  let training = 0;
  let inference = 0;
  c.widths.forEach((w, b) => {
    const pre = (height >> b) * (width >> b) * w;
    const pooled = pre / 4;
    if (c.unpool === 'switch') {
      training += pooled * 4;
      inference += pooled * 4;
    } else if (c.unpool === 'ratio') {
      inference += (pre + pooled) * 4;
    }
  });
  return { training, inference };
}
