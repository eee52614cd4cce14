import * as path from 'node:path';
import { z } from 'zod';
import { formatZodIssues } from '@unpool/results';

/**
 * The verdict of scripts/bench/compare_vs_pytorch.py (run by scripts/bench/vs-pytorch.sh): our
 * SegNet-mini train step against a PyTorch replica, per unpool mode, median over alternating rounds.
 * Unlike the tolerant bench tables, every field shown is required: the section states a verdict, so a
 * file that lacks one of its numbers must be flagged, not rendered with blanks.
 */
export const VS_PYTORCH_FILE = 'vs-pytorch.json';

/** Raw rounds that vs-pytorch.json summarises; as separate bench tables they would repeat it, noisier. */
const ROUND_FILE = /^vs-pytorch-(ours|torch)-r\d+\.json$/;

export function isVsPytorchRound(file: string): boolean {
  return ROUND_FILE.test(path.basename(file));
}

const timings = {
  oursTrainMs: z.number(),
  torchTrainMs: z.number(),
  trainRatio: z.number(),
  oursForwardMs: z.number(),
  torchForwardMs: z.number(),
  forwardRatio: z.number(),
};

export const vsPytorchSchema = z.object({
  rows: z
    .array(
      z.object({
        unpool: z.string(),
        // The script copies these with dict.get, so an older bench output leaves them null.
        backend: z.string().nullable(),
        engine: z.string().nullable(),
        ...timings,
        meets: z.boolean(),
        rounds: z.array(z.object(timings)).min(1),
      }),
    )
    .min(1),
  target: z.number(),
  rounds: z.number().int().min(1),
  torch: z.string().nullable(),
  torchThreads: z.number().int().nullable(),
  /** `ours.json:torch.json` per round, as passed to the script. */
  inputs: z.array(z.string()),
});
export type VsPytorch = z.infer<typeof vsPytorchSchema>;

export interface VsPytorchTable {
  file: string;
  data: VsPytorch;
  /** Base names of the raw round files, `[ours, torch]` per round. */
  roundFiles: [string, string][];
}

function roundPair(input: string): [string, string] {
  const [ours = '', torch = ''] = input.split(':');
  return [path.basename(ours), path.basename(torch)];
}

/** The section's data, or the reason the file cannot be shown (naming the file). */
export function vsPytorchTable(file: string, value: unknown): VsPytorchTable | { file: string; error: string } {
  const parsed = vsPytorchSchema.safeParse(value);
  if (!parsed.success) {
    return { file, error: `${file} is not a vs-PyTorch verdict (scripts/bench/compare_vs_pytorch.py output), not shown:\n${formatZodIssues(parsed.error)}` };
  }
  return { file, data: parsed.data, roundFiles: parsed.data.inputs.map(roundPair) };
}

export interface BenchFileGroups {
  /** Shown as generic operator benchmark tables. */
  bench: string[];
  vsPytorch: string[];
  /** Raw vs-PyTorch rounds: shown only through their summary. */
  rounds: string[];
}

/** Sorts the bench folder's files by what the report does with them (by base name: the CLI passes paths). */
export function groupBenchFiles(files: readonly string[]): BenchFileGroups {
  const groups: BenchFileGroups = { bench: [], vsPytorch: [], rounds: [] };
  for (const file of files) {
    if (path.basename(file) === VS_PYTORCH_FILE) groups.vsPytorch.push(file);
    else if (isVsPytorchRound(file)) groups.rounds.push(file);
    else groups.bench.push(file);
  }
  return groups;
}

/** Raw rounds are skipped either way; without their summary nothing on the page would say they exist. */
export function orphanRoundsWarning(groups: BenchFileGroups): string | null {
  if (groups.rounds.length === 0 || groups.vsPytorch.length > 0) return null;
  return `${groups.rounds.map((f) => path.basename(f)).join(', ')}: raw vs-PyTorch rounds without their summary ${VS_PYTORCH_FILE} (scripts/bench/compare_vs_pytorch.py writes it); not shown.`;
}
