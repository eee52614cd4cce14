import { describe, expect, it } from 'vitest';
import { keptBytes } from '../src/index.js';

describe('keptBytes at prePool [8,64,192,16] (pooled [8,32,96,16] = 393216 elements)', () => {
  const pooledElems = 8 * 32 * 96 * 16;
  const fullElems = 8 * 64 * 192 * 16;

  it('switch keeps its int32 switches, for backward and from encoder to decoder', () => {
    const k = keptBytes('switch', [8, 64, 192, 16]);
    expect(k.bytesKeptForBackward).toBe(pooledElems * 4);
    expect(k.encoderToDecoderBytes).toBe(pooledElems * 4);
    expect(k.keptForBackward).toEqual(['switches int32 [8,32,96,16]']);
  });

  it('ratio keeps the float32 prePool for backward, and prePool plus pooled from encoder to decoder', () => {
    const k = keptBytes('ratio', [8, 64, 192, 16]);
    expect(k.bytesKeptForBackward).toBe(fullElems * 4);
    expect(k.encoderToDecoderBytes).toBe(fullElems * 4 + pooledElems * 4);
  });

  it('nearest keeps the prePool only for max pooling\'s gradient and nothing from encoder to decoder', () => {
    const k = keptBytes('nearest', [8, 64, 192, 16]);
    expect(k.bytesKeptForBackward).toBe(fullElems * 4);
    expect(k.encoderToDecoderBytes).toBe(0);
  });
});
