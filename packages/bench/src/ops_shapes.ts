export type Shape4 = [number, number, number, number];

export type OpsShapeSet = 'mini' | 'vgg16';
export const OPS_SHAPE_SETS: readonly OpsShapeSet[] = ['mini', 'vgg16'];

/**
 * The pre-pooling (encoder) tensor shapes at which the unpooling family is timed, batch 8:
 * SegNet-VGG16 at 128x384 input (widths 64,128,256,512,512) and SegNet-mini (widths 16,32,64,64)
 * at 64x192.
 */
export const OPS_SHAPES: Record<OpsShapeSet, readonly Shape4[]> = {
  mini: [
    [8, 64, 192, 16],
    [8, 32, 96, 32],
    [8, 16, 48, 64],
    [8, 8, 24, 64],
  ],
  vgg16: [
    [8, 128, 384, 64],
    [8, 64, 192, 128],
    [8, 32, 96, 256],
    [8, 16, 48, 512],
    [8, 8, 24, 512],
  ],
};
