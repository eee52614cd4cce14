/**
 * Looks at the synthetic data: per-class pixel frequencies and image counts of a 200-image val split at
 * 64x192, render time per image at 64x192 and 128x384, and 8-image preview sheets. Run with
 *   npx tsx --conditions=@unpool/source bench/synth_report.ts [outDir]
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLASSES, NUM_CLASSES, renderPreviewPng, synthStreets } from '../src/index.js';

function writeAtomic(path: string, data: Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

const outDir = process.argv[2] ?? '/tmp';
const names = [...CLASSES.map((c) => c.name), 'void'];
const cols: string[][] = [];
for (const style of ['city', 'kitti'] as const) {
  const ds = synthStreets({ style, split: 'val', size: 200, height: 64, width: 192, seed: 0 });
  const pixels = new Float64Array(NUM_CLASSES + 1);
  const images = new Uint32Array(NUM_CLASSES + 1);
  for (let i = 0; i < ds.size; i++) {
    const seen = new Uint8Array(NUM_CLASSES + 1);
    for (const v of ds.get(i).label) {
      const c = v < NUM_CLASSES ? v : NUM_CLASSES;
      pixels[c]++;
      seen[c] = 1;
    }
    seen.forEach((s, c) => (images[c] += s));
  }
  const total = pixels.reduce((a, b) => a + b, 0);
  cols.push(Array.from(pixels, (p) => ((100 * p) / total).toFixed(2)), Array.from(images, String));
  for (const [h, w, n] of [[64, 192, 200], [128, 384, 50]] as const) {
    const d = synthStreets({ style, split: 'train', size: 1000, height: h, width: w, seed: 1 });
    for (let i = 0; i < 10; i++) d.get(500 + i);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) d.get(i);
    const cpu = process.cpuUsage(c0);
    console.log(`${style} ${h}x${w}: ${((performance.now() - t0) / n).toFixed(2)} ms/image wall, ${((cpu.user + cpu.system) / 1000 / n).toFixed(2)} ms/image cpu`);
  }
  for (const [h, suffix] of [[128, ''], [64, '-64']] as const) {
    const sheet = synthStreets({ style, split: 'val', size: 8, height: h, width: 3 * h, seed: 0 });
    writeAtomic(join(outDir, `preview-${style}${suffix}.png`), renderPreviewPng({ dataset: sheet, n: 8, columns: 2 }));
  }
}
console.log('| class | synth-city % pixels | images (of 200) | synth-kitti % pixels | images (of 200) |');
console.log('| --- | ---: | ---: | ---: | ---: |');
names.forEach((n, i) => console.log(`| ${n} | ${cols[0][i]} | ${cols[1][i]} | ${cols[2][i]} | ${cols[3][i]} |`));
