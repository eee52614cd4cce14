/**
 * Looks at the synthetic data: per-class pixel frequencies of a 200-image val split, render time per
 * image, and preview sheets. Run with
 *   npx tsx --conditions=@unpool/source bench/synth_report.ts [outDir]
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLASSES, classFrequencies, renderPreviewPng, synthStreets } from '../src/index.js';

function writeAtomic(path: string, data: Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

const outDir = process.argv[2] ?? '/tmp';
const names = [...CLASSES.map((c) => c.name), 'void'];
const table: Record<string, string[]> = {};
for (const style of ['city', 'kitti'] as const) {
  const ds = synthStreets({ style, split: 'val', size: 200, height: 64, width: 192, seed: 0 });
  const freq = classFrequencies(ds);
  table[style] = freq.map((f) => (100 * f).toFixed(2));
  for (const [h, w] of [[64, 192], [128, 384]] as const) {
    const d = synthStreets({ style, split: 'train', size: 1000, height: h, width: w, seed: 1 });
    for (let i = 0; i < 5; i++) d.get(i);
    const n = h === 64 ? 200 : 50;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) d.get(i);
    console.log(`${style} ${h}x${w}: ${((performance.now() - t0) / n).toFixed(2)} ms/image`);
  }
  const big = synthStreets({ style, split: 'val', size: 8, height: 128, width: 384, seed: 0 });
  writeAtomic(join(outDir, `preview-${style}.png`), renderPreviewPng({ dataset: big, n: 8, columns: 2 }));
  const small = synthStreets({ style, split: 'val', size: 8, height: 64, width: 192, seed: 0 });
  writeAtomic(join(outDir, `preview-${style}-64.png`), renderPreviewPng({ dataset: small, n: 8, columns: 2 }));
}
console.log('| class | synth-city % | synth-kitti % |');
console.log('| --- | ---: | ---: |');
names.forEach((n, i) => console.log(`| ${n} | ${table.city[i]} | ${table.kitti[i]} |`));
