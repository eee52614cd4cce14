import { describe, expect, it } from 'vitest';
import { datasetSpecFromName, datasetSpecSchema, openDataset } from '../src/index.js';

describe('openDataset', () => {
  it('opens a synthetic spec at the requested frame, equal to calling synthStreets directly', () => {
    const ds = openDataset({ kind: 'synth', style: 'kitti', split: 'val', size: 3, seed: 2 }, { height: 16, width: 48 });
    expect([ds.name, ds.size, ds.height, ds.width]).toEqual(['synth-kitti/val', 3, 16, 48]);
    const again = openDataset({ kind: 'synth', style: 'kitti', split: 'val', size: 3, seed: 2 }, { height: 16, width: 48 });
    expect(Array.from(ds.get(2).label)).toEqual(Array.from(again.get(2).label));
  });

  it('rejects malformed specs and frames, naming the field', () => {
    expect(() => openDataset({ kind: 'synth', style: 'city', split: 'val' }, { height: 8, width: 8 })).toThrow(/size/);
    expect(() => openDataset({ kind: 'imagenet', split: 'val' }, { height: 8, width: 8 })).toThrow(/invalid dataset spec/);
    expect(() => openDataset({ kind: 'synth', style: 'city', split: 'val', size: 2, colour: 'red' }, { height: 8, width: 8 })).toThrow(/colour/);
    expect(() => openDataset({ kind: 'kitti', root: '/x', split: 'test' }, { height: 8, width: 8 })).toThrow(/split/);
    expect(() => openDataset({ kind: 'synth', style: 'city', split: 'val', size: 2 }, { height: 0, width: 8 })).toThrow(/invalid frame.*height/);
  });

  it('exports the schema for reuse in experiment configs', () => {
    expect(datasetSpecSchema.safeParse({ kind: 'cityscapes', root: '/data/cs', split: 'train' }).success).toBe(true);
    expect(datasetSpecSchema.safeParse({ kind: 'cityscapes', root: '', split: 'train' }).success).toBe(false);
  });
});

describe('datasetSpecFromName', () => {
  it('parses the short names used on command lines', () => {
    expect(datasetSpecFromName('synth-city', { split: 'val' })).toEqual({ kind: 'synth', style: 'city', split: 'val', size: 200 });
    expect(datasetSpecFromName('synth-kitti', { split: 'train', size: 50, seed: 3 })).toEqual({ kind: 'synth', style: 'kitti', split: 'train', size: 50, seed: 3 });
    expect(datasetSpecFromName('cityscapes:/data/cs', { split: 'val' })).toEqual({ kind: 'cityscapes', root: '/data/cs', split: 'val' });
    expect(datasetSpecFromName('kitti:/data/kitti', { split: 'test' })).toEqual({ kind: 'kitti', root: '/data/kitti', split: 'all' });
  });

  it('rejects unknown names and impossible combinations', () => {
    expect(() => datasetSpecFromName('synth-mars', { split: 'val' })).toThrow(/unknown data set 'synth-mars'/);
    expect(() => datasetSpecFromName('cityscapes', { split: 'val' })).toThrow(/root/);
    expect(() => datasetSpecFromName('synth-city', { split: 'all' })).toThrow(/split/);
    expect(() => datasetSpecFromName('synth-city:/tmp', { split: 'val' })).toThrow(/take no path/);
  });
});
