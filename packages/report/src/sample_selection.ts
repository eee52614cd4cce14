import type { SamplesIndex } from '@unpool/results';

type SampleImage = SamplesIndex['sets'][number]['images'][number];

/** The switch and ratio runs of one seed whose saved validation images can be compared. */
export interface SampleSource {
  seed: number;
  switchIndex: SamplesIndex;
  ratioIndex: SamplesIndex;
}

export interface SamplePick {
  /** Which rules chose this image ('largest gain', 'median gain', 'smallest gain'). */
  rules: string[];
  id: string;
  index: number;
  switchMiou: number;
  ratioMiou: number;
  gain: number;
  switchImage: SampleImage;
  ratioImage: SampleImage;
}

export interface SampleFigureSet {
  set: string;
  seed: number;
  /** Images compared (present in both runs with a defined per-image mIoU). */
  candidates: number;
  picks: SamplePick[];
}

export const SAMPLE_SELECTION_RULE =
  'Candidates are the validation images both runs saved (the first images of each evaluation set, the same for every run), ' +
  'from the lowest seed for which both the switch and the ratio run completed. Gain = per-image mIoU of ratio minus that of switch. ' +
  'Shown: the image with the largest gain, the one with the median gain (lower median), and the one with the smallest gain ' +
  '(the largest loss, if any), so the figures show the typical and the worst case, not only the best.';

/**
 * Chooses the qualitative examples by a fixed rule (see SAMPLE_SELECTION_RULE), per evaluation set.
 * Sources are tried in ascending seed order; sets without any comparable image are left out.
 */
export function chooseSamples(sources: readonly SampleSource[], sets: readonly string[]): SampleFigureSet[] {
  const ordered = [...sources].sort((a, b) => a.seed - b.seed);
  const out: SampleFigureSet[] = [];
  for (const set of sets) {
    for (const src of ordered) {
      const sw = src.switchIndex.sets.find((s) => s.set === set);
      const ra = src.ratioIndex.sets.find((s) => s.set === set);
      if (!sw || !ra) continue;
      const ratioById = new Map(ra.images.map((im) => [im.id, im]));
      const pairs = sw.images.flatMap((s) => {
        const r = ratioById.get(s.id);
        if (!r || s.miou === null || r.miou === null) return [];
        return [{ id: s.id, index: s.index, switchMiou: s.miou, ratioMiou: r.miou, gain: r.miou - s.miou, switchImage: s, ratioImage: r }];
      });
      if (pairs.length === 0) continue;
      // Ascending gain, ties by image index so the choice does not depend on file order.
      const ascending = [...pairs].sort((a, b) => a.gain - b.gain || a.index - b.index);
      const chosen: [string, (typeof pairs)[number]][] = [
        ['largest gain', [...pairs].sort((a, b) => b.gain - a.gain || a.index - b.index)[0]],
        ['median gain', ascending[Math.floor((ascending.length - 1) / 2)]],
        ['smallest gain', ascending[0]],
      ];
      const picks: SamplePick[] = [];
      for (const [rule, p] of chosen) {
        const existing = picks.find((x) => x.id === p.id);
        if (existing) existing.rules.push(rule);
        else picks.push({ ...p, rules: [rule] });
      }
      out.push({ set, seed: src.seed, candidates: pairs.length, picks });
      break;
    }
  }
  return out;
}
