import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { expect, test } from 'vitest';
import { readImagePng, verifyPngFile } from '../src/index.js';

test('verifyPngFile passes what decodes and names the file for a cut, overwritten or foreign file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'verify-png-'));
  const good = join(dir, 'good.png');
  const data = new Uint8Array(16 * 8 * 3).map((_, i) => (i * 37) % 251);
  writeFileSync(good, encode({ width: 16, height: 8, channels: 3, data }));
  expect(() => verifyPngFile(good)).not.toThrow();
  const bytes = readFileSync(good);

  const cut = join(dir, 'cut.png');
  writeFileSync(cut, bytes.subarray(0, bytes.length - 20));
  expect(() => verifyPngFile(cut)).toThrow(/cut\.png: not a valid PNG \(.*truncated\)/);

  // One byte changed inside the image data: the structure holds, its chunk's CRC does not.
  const flipped = join(dir, 'flipped.png');
  const copy = Buffer.from(bytes);
  const idat = copy.indexOf('IDAT');
  copy[idat + 10] ^= 0xff;
  writeFileSync(flipped, copy);
  expect(() => verifyPngFile(flipped)).toThrow(/flipped\.png: not a valid PNG \(chunk IDAT at byte \d+ fails its CRC\)/);

  const text = join(dir, 'text.png');
  writeFileSync(text, 'not an image at all');
  expect(() => verifyPngFile(text)).toThrow(/text\.png: not a valid PNG \(bad signature\)/);
  // The reference: the decoder agrees about the good file.
  expect(readImagePng(good).width).toBe(16);
});
