import { defineExperiment } from '@unpool/results';
import ablation from './ablation.js';

/**
 * The same ablation on the real data sets, as in the paper: train on Cityscapes (resized and
 * centre-cropped to KITTI's 1242x375 frame at the run's resolution), evaluate on Cityscapes val and on
 * KITTI's labelled training images. Only the data differ from `ablation`. The roots come from the
 * environment so the definition stays the same on every machine.
 */
const cityscapes = process.env.CITYSCAPES_ROOT ?? 'data/cityscapes';
const kitti = process.env.KITTI_ROOT ?? 'data/kitti';

export default defineExperiment({
  ...ablation,
  name: 'ablation-cityscapes',
  description: 'Switch vs ratio unpooling in SegNet and Bayesian SegNet on Cityscapes and KITTI (the paper\'s Table 1)',
  data: {
    train: { kind: 'cityscapes', root: cityscapes, split: 'train' },
    eval: [
      { name: 'cityscapes', label: 'Cityscapes val', data: { kind: 'cityscapes', root: cityscapes, split: 'val' } },
      { name: 'kitti', label: 'KITTI (all 200 labelled images)', data: { kind: 'kitti', root: kitti, split: 'all' } },
    ],
  },
});
