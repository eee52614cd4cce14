import { describe, expect, it } from 'vitest';
import type { SamplesIndex } from '@unpool/results';
import { chooseSamples } from '../src/sample_selection.js';

function index(set: string, mious: (number | null)[], idPrefix = set): SamplesIndex {
  return {
    sets: [
      {
        set,
        images: mious.map((miou, i) => ({
          index: i,
          id: `${idPrefix}/${i}`,
          miou,
          files: { input: `${i}-in.png`, truth: `${i}-gt.png`, prediction: `${i}-pred.png`, entropy: null },
        })),
      },
    ],
  };
}

describe('chooseSamples', () => {
  it('picks the largest, the (lower) median and the smallest ratio-over-switch gain', () => {
    // gains: +0.1, -0.2, +0.3, 0, +0.05 -> sorted -0.2 (1), 0 (3), +0.05 (4), +0.1 (0), +0.3 (2)
    const [fig] = chooseSamples([{ seed: 0, switchIndex: index('a', [0.5, 0.5, 0.2, 0.4, 0.3]), ratioIndex: index('a', [0.6, 0.3, 0.5, 0.4, 0.35]) }], ['a']);
    expect(fig.candidates).toBe(5);
    expect(fig.picks.map((p) => [p.rules, p.index])).toEqual([
      [['largest gain'], 2],
      [['median gain'], 4],
      [['smallest gain'], 1],
    ]);
    expect(fig.picks[0].gain).toBeCloseTo(0.3, 12);
  });

  it('merges rules that choose the same image and skips images without a score', () => {
    const [fig] = chooseSamples([{ seed: 0, switchIndex: index('a', [0.5, null, 0.1]), ratioIndex: index('a', [0.7, 0.9, 0.2]) }], ['a']);
    // Comparable: image 0 (+0.2) and image 2 (+0.1); lower median = image 2 = smallest.
    expect(fig.candidates).toBe(2);
    expect(fig.picks.map((p) => [p.rules, p.index])).toEqual([
      [['largest gain'], 0],
      [['median gain', 'smallest gain'], 2],
    ]);
  });

  it('pairs images by id and falls back to the next seed when a seed has nothing comparable', () => {
    const figs = chooseSamples(
      [
        { seed: 3, switchIndex: index('a', [0.1, 0.2]), ratioIndex: index('a', [0.3, 0.1]) },
        { seed: 1, switchIndex: index('a', [0.1]), ratioIndex: index('a', [0.2], 'other') },
      ],
      ['a', 'b'],
    );
    expect(figs).toHaveLength(1);
    expect(figs[0].seed).toBe(3);
    expect(figs[0].picks[0].id).toBe('a/0');
  });
});
