import { synthStreets } from '../src/index.js';
for (const style of ['city', 'kitti'] as const) for (const [h, w] of [[64, 192], [128, 384]]) {
  const d = synthStreets({ style, split: 'train', size: 1000, height: h, width: w, seed: 1 });
  for (let i = 0; i < 20; i++) d.get(i);
  const n = h === 64 ? 200 : 60;
  const c0 = process.cpuUsage(); const t0 = performance.now();
  for (let i = 0; i < n; i++) d.get(i);
  const c = process.cpuUsage(c0);
  console.log(style, `${h}x${w}`, 'cpu ms/img', ((c.user + c.system) / 1000 / n).toFixed(2), 'wall', ((performance.now() - t0) / n).toFixed(2));
}
