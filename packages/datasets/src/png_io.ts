import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { convertIndexedToRgb, decode, type DecodedPng } from 'fast-png';
import { LABEL_PNG_LUT } from './classes.js';

/** A decoded RGB image, 8 bits per channel, HWC. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** A decoded single-channel map (label ids), HW. */
export interface GreyMap {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

function readBytes(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new Error(`${file}: cannot read (${(e as Error).message})`);
  }
}

function decodeFile(file: string, bytes: Uint8Array): DecodedPng {
  try {
    return decode(bytes);
  } catch (e) {
    throw new Error(`${file}: not a decodable PNG (${(e as Error).message})`);
  }
}

/**
 * Reads a PNG photo as 8-bit RGB. Accepts grey, grey+alpha, RGB, RGBA and palette images; 16-bit samples
 * are reduced to their high byte (a lossless-enough reduction for an 8-bit pipeline). Alpha is dropped.
 */
export function readImagePng(file: string): RgbImage {
  const png = decodeFile(file, readBytes(file));
  const { width, height } = png;
  const n = width * height;
  let src: ArrayLike<number> = png.data;
  let channels = png.channels;
  if (png.palette) {
    src = convertIndexedToRgb(png);
    channels = png.transparency ? 4 : 3;
    if (src.length === n * 4) channels = 4;
    else if (src.length === n * 3) channels = 3;
  } else if (png.depth !== 8 && png.depth !== 16) {
    throw new Error(`${file}: ${png.depth}-bit image PNGs are not supported (expected 8-bit RGB/RGBA)`);
  }
  const shift = !png.palette && png.depth === 16 ? 8 : 0;
  const out = new Uint8Array(n * 3);
  if (channels === 3 || channels === 4) {
    for (let p = 0; p < n; p++) {
      out[3 * p] = src[p * channels] >> shift;
      out[3 * p + 1] = src[p * channels + 1] >> shift;
      out[3 * p + 2] = src[p * channels + 2] >> shift;
    }
  } else if (channels === 1 || channels === 2) {
    for (let p = 0; p < n; p++) out[3 * p] = out[3 * p + 1] = out[3 * p + 2] = src[p * channels] >> shift;
  } else {
    throw new Error(`${file}: unsupported PNG with ${channels} channels`);
  }
  return { width, height, data: out };
}

/**
 * Reads an 8-bit single-channel label PNG (Cityscapes `*_gtFine_labelIds.png`, KITTI `semantic/*.png`).
 * Palette PNGs are read by index. 16-bit and colour label maps are refused with the reason: the usual
 * cause is pointing at `instanceIds` or `color` files instead of `labelIds`.
 */
export function readLabelPng(file: string): GreyMap {
  const png = decodeFile(file, readBytes(file));
  if (png.depth === 16) {
    throw new Error(`${file}: 16-bit label PNG (instance ids?); expected an 8-bit single-channel labelIds map`);
  }
  if (png.depth !== 8 && !png.palette) {
    throw new Error(`${file}: ${png.depth}-bit label PNG; expected an 8-bit single-channel labelIds map`);
  }
  if (png.channels !== 1) {
    throw new Error(`${file}: label PNG has ${png.channels} channels (a colour rendering?); expected an 8-bit single-channel labelIds map`);
  }
  const n = png.width * png.height;
  let data = png.data as Uint8Array;
  if (png.palette && png.depth !== 8) {
    // Sub-byte palette indices: unpack to one byte per pixel.
    const bits = png.depth;
    const rowBytes = Math.ceil((png.width * bits) / 8);
    const out = new Uint8Array(n);
    const mask = (1 << bits) - 1;
    for (let y = 0; y < png.height; y++) {
      for (let x = 0; x < png.width; x++) {
        const bit = x * bits;
        out[y * png.width + x] = (data[y * rowBytes + (bit >> 3)] >> (8 - bits - (bit & 7))) & mask;
      }
    }
    data = out;
  }
  return { width: png.width, height: png.height, data: data.length === n ? data : data.subarray(0, n) };
}

/**
 * Maps a labelId map to trainIds (255 void). An id that is not an official labelId is an error naming the
 * file, the value and the first pixel holding it: silently voiding it would hide a wrong input file.
 */
export function labelIdsToTrainIds(ids: GreyMap, file: string): Uint8Array {
  const out = new Uint8Array(ids.data.length);
  for (let p = 0; p < ids.data.length; p++) {
    const t = LABEL_PNG_LUT[ids.data[p]];
    if (t < 0) {
      throw new Error(`${file}: unknown labelId ${ids.data[p]} at pixel (x=${p % ids.width}, y=${Math.floor(p / ids.width)})`);
    }
    out[p] = t;
  }
  return out;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Checks a PNG's structure without decoding it: the signature, every chunk's length and CRC, IHDR first
 * and IEND last. Catches truncated and overwritten files for the cost of reading them, so a preflight can
 * check a whole data set before training starts (a decode of every image would take minutes).
 */
export function verifyPngFile(file: string): void {
  const read = readBytes(file);
  // A view, not a copy: this runs over every file of a data set.
  const bytes = Buffer.from(read.buffer, read.byteOffset, read.byteLength);
  const fail = (why: string): never => {
    throw new Error(`${file}: not a valid PNG (${why})`);
  };
  if (bytes.length < 8 || PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) fail('bad signature');
  let at = 8;
  let last = '';
  while (at < bytes.length) {
    if (at + 12 > bytes.length) fail(`chunk header cut off at byte ${at}`);
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    if (at === 8 && type !== 'IHDR') fail('first chunk is not IHDR');
    const end = at + 12 + length;
    if (end > bytes.length) fail(`chunk ${type} at byte ${at} runs past the end of the file (truncated)`);
    if ((crc32(bytes.subarray(at + 4, at + 8 + length)) >>> 0) !== bytes.readUInt32BE(at + 8 + length)) fail(`chunk ${type} at byte ${at} fails its CRC`);
    last = type;
    at = end;
    if (type === 'IEND') break;
  }
  if (last !== 'IEND') fail('no IEND chunk (truncated)');
}
