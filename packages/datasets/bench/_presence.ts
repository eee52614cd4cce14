import { synthStreets, CLASSES } from '../src/index.js';
for (const style of ['city', 'kitti'] as const) for (const seed of [0, 1, 2, 3, 4]) for (const split of ['val', 'train'] as const) {
  const ds = synthStreets({ style, split, size: 200, height: 64, width: 192, seed });
  const pres = new Array(20).fill(0);
  for (let i = 0; i < ds.size; i++) {
    const { label } = ds.get(i);
    const seen = new Uint8Array(256);
    for (const v of label) seen[v] = 1;
    for (let c = 0; c < 19; c++) pres[c] += seen[c];
    pres[19] += seen[255];
  }
  const min = Math.min(...pres.slice(0, 19));
  console.log(style, seed, split, 'min', min, CLASSES.map((c, i) => `${c.name.slice(0, 5)}:${pres[i]}`).filter((_, i) => pres[i] < 30).join(' '));
}
