import { describe, expect, it } from 'vitest';
import { CITYSCAPES_LABELS, CLASSES, LABEL_PNG_LUT, NUM_CLASSES, VOID, classColor, labelIdToTrainId } from '../src/index.js';

describe('classes', () => {
  it('lists the 19 evaluation classes in trainId order with their official colours', () => {
    expect(NUM_CLASSES).toBe(19);
    expect(CLASSES.map((c) => c.name)).toEqual([
      'road', 'sidewalk', 'building', 'wall', 'fence', 'pole', 'traffic light', 'traffic sign', 'vegetation', 'terrain',
      'sky', 'person', 'rider', 'car', 'truck', 'bus', 'train', 'motorcycle', 'bicycle',
    ]);
    CLASSES.forEach((c, i) => expect(c.trainId).toBe(i));
    expect(classColor(0)).toEqual([128, 64, 128]);
    expect(classColor(10)).toEqual([70, 130, 180]);
    expect(classColor(18)).toEqual([119, 11, 32]);
    expect(classColor(VOID)).toEqual([0, 0, 0]);
  });

  it('maps every official labelId, and only those, to a trainId', () => {
    const ids = CITYSCAPES_LABELS.map((l) => l.labelId).sort((a, b) => a - b);
    expect(ids).toEqual([-1, ...Array.from({ length: 34 }, (_, i) => i)]);
    const pairs: [number, number][] = [[7, 0], [8, 1], [11, 2], [12, 3], [13, 4], [17, 5], [19, 6], [20, 7], [21, 8], [22, 9], [23, 10], [24, 11], [25, 12], [26, 13], [27, 14], [28, 15], [31, 16], [32, 17], [33, 18]];
    for (const [id, t] of pairs) expect(labelIdToTrainId(id)).toBe(t);
    for (const id of [0, 1, 2, 3, 4, 5, 6, 9, 10, 14, 15, 16, 18, 29, 30, -1, 34, 200]) expect(labelIdToTrainId(id)).toBe(VOID);
    // Each trainId is reached from exactly one labelId.
    const reached = CITYSCAPES_LABELS.filter((l) => l.trainId !== VOID).map((l) => l.trainId).sort((a, b) => a - b);
    expect(reached).toEqual(Array.from({ length: 19 }, (_, i) => i));
  });

  it('has an 8-bit lookup that flags values that are not labelIds', () => {
    expect(LABEL_PNG_LUT[26]).toBe(13);
    expect(LABEL_PNG_LUT[255]).toBe(VOID); // license plate (-1) as stored in 8 bits
    expect(LABEL_PNG_LUT[34]).toBe(-1);
    expect(LABEL_PNG_LUT[100]).toBe(-1);
  });
});
