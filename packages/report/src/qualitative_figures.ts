import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatZodIssues, samplesIndexSchema, type Experiment, type SamplesIndex } from '@unpool/results';
import type { FigureImage, QualitativeFigure } from './report_model.js';
import type { RunSlot } from './run_slots.js';
import { chooseSamples, type SampleSource } from './sample_selection.js';
import { variantPairs } from './variant_groups.js';

const MIME: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.svg': 'image/svg+xml' };

function dataUri(file: string, warnings: string[]): string | null {
  // Names come from index.json: keep them inside the samples folder.
  const mime = MIME[path.extname(file).toLowerCase()];
  if (!mime) {
    warnings.push(`${file}: not an image type the report embeds`);
    return null;
  }
  try {
    return `data:${mime};base64,${fs.readFileSync(file).toString('base64')}`;
  } catch (err) {
    warnings.push(`${file}: ${(err as Error).message}`);
    return null;
  }
}

function samplesFile(runDir: string, name: string): string {
  const dir = path.join(runDir, 'samples');
  const file = path.resolve(dir, name);
  if (!file.startsWith(path.resolve(dir) + path.sep)) throw new Error(`${path.join(dir, 'index.json')}: file name '${name}' points outside the samples folder`);
  return file;
}

function readSamplesIndex(runDir: string, warnings: string[]): SamplesIndex | null {
  const file = path.join(runDir, 'samples', 'index.json');
  if (!fs.existsSync(file)) return null;
  try {
    const parsed = samplesIndexSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (parsed.success) return parsed.data;
    warnings.push(`${file} does not match the samples index schema:\n${formatZodIssues(parsed.error)}`);
  } catch (err) {
    warnings.push(`${file}: ${(err as Error).message}`);
  }
  return null;
}

/**
 * Qualitative figures for each switch/ratio pair and evaluation set: images chosen by the rule of
 * sample_selection.ts, embedded as data: URIs. Input and ground truth come from the switch run (both
 * runs saved the same validation images).
 */
export function qualitativeFigures(experiment: Experiment, slots: readonly RunSlot[], warnings: string[]): QualitativeFigure[] {
  const figures: QualitativeFigure[] = [];
  const completed = (variant: string, seed: number) =>
    slots.find((s) => s.variant.name === variant && s.seed === seed && s.status === 'completed' && s.run);
  for (const pair of variantPairs(experiment.variants)) {
    const seeds = [...new Set(slots.filter((s) => s.variant.name === pair.switch.name).map((s) => s.seed))].sort((a, b) => a - b);
    const sources: (SampleSource & { switchDir: string; ratioDir: string })[] = [];
    for (const seed of seeds) {
      const sw = completed(pair.switch.name, seed);
      const ra = completed(pair.ratio.name, seed);
      if (!sw || !ra) continue;
      const switchIndex = readSamplesIndex(sw.run!.dir, warnings);
      const ratioIndex = readSamplesIndex(ra.run!.dir, warnings);
      if (switchIndex && ratioIndex) sources.push({ seed, switchIndex, ratioIndex, switchDir: sw.run!.dir, ratioDir: ra.run!.dir });
    }
    const chosen = chooseSamples(sources, experiment.data.eval.map((e) => e.name));
    for (const c of chosen) {
      const src = sources.find((s) => s.seed === c.seed)!;
      const rows = c.picks.map((pick) => {
        const img = (dir: string, name: string | null, caption: string): FigureImage | null => {
          if (name === null) return null;
          try {
            return { caption, uri: dataUri(samplesFile(dir, name), warnings) };
          } catch (err) {
            warnings.push((err as Error).message);
            return { caption, uri: null };
          }
        };
        const images = [
          img(src.switchDir, pick.switchImage.files.input, 'input'),
          img(src.switchDir, pick.switchImage.files.truth, 'ground truth'),
          img(src.switchDir, pick.switchImage.files.prediction, `${pair.switch.name}`),
          img(src.ratioDir, pick.ratioImage.files.prediction, `${pair.ratio.name}`),
          img(src.switchDir, pick.switchImage.files.entropy, `${pair.switch.name} uncertainty`),
          img(src.ratioDir, pick.ratioImage.files.entropy, `${pair.ratio.name} uncertainty`),
        ].filter((x): x is FigureImage => x !== null);
        return { pick, images };
      });
      // Rows must share columns; entropy maps present for only some picks would misalign the grid.
      const width = Math.min(...rows.map((r) => r.images.length));
      const set = experiment.data.eval.find((e) => e.name === c.set)!;
      figures.push({
        pairLabel: pair.label,
        set: c.set,
        setLabel: set.label,
        seed: c.seed,
        candidates: c.candidates,
        switchVariant: pair.switch.name,
        ratioVariant: pair.ratio.name,
        rows: rows.map((r) => ({ ...r, images: r.images.slice(0, width) })),
      });
    }
  }
  return figures;
}
