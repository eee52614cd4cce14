import * as fs from 'node:fs';
import * as path from 'node:path';

/** A `pnpm bench ops` output file as its documented format describes it, plus a field the report does not know. */
export function writeBenchFile(dir: string): string {
  const file = path.join(dir, 'bench-ops.json');
  const rows = ['switch', 'ratio', 'nearest'].flatMap((op) =>
    ['wasm', 'cpu'].map((backend) => ({
      op: `${op}_unpool`,
      shape: [8, 64, 192, 16],
      backend,
      fwdMs: op === 'switch' ? 12.5 : 4.25,
      fwdBwdMs: op === 'switch' ? 17.6 : 9.5,
      bytesKeptForBackward: op === 'switch' ? 1572864 : 0,
      repeats: 20,
    })),
  );
  fs.writeFileSync(file, JSON.stringify({ meta: { node: '20.20.2', cpu: 'test cpu', threads: 1 }, rows }));
  return file;
}

/** One round's timings of one unpool mode, as compare_vs_pytorch.py keeps them. */
function round(oursTrainMs: number, torchTrainMs: number, oursForwardMs: number, torchForwardMs: number) {
  return { oursTrainMs, torchTrainMs, trainRatio: oursTrainMs / torchTrainMs, oursForwardMs, torchForwardMs, forwardRatio: oursForwardMs / torchForwardMs };
}

/**
 * A scripts/bench/vs-pytorch.sh output folder: the verdict plus its raw rounds. The numbers are chosen so
 * every rendered cell is distinct, ratio misses the target, and its second round is above it; the round
 * files carry a step time (987.654 ms) that appears nowhere else, so rendering them as tables shows.
 */
export function writeVsPytorchFiles(dir: string): { verdict: string; rounds: string[] } {
  const rounds = [1, 2].flatMap((r) => [path.join(dir, `vs-pytorch-ours-r${r}.json`), path.join(dir, `vs-pytorch-torch-r${r}.json`)]);
  for (const file of rounds) {
    fs.writeFileSync(file, JSON.stringify({ tool: 'fixture', rows: [{ unpool: 'switch', trainStepMs: 987.654, forwardMs: 12.5 }] }));
  }
  const switchRounds = [round(210.7, 156.3, 48.6, 41.2), round(220.1, 160.4, 47.3, 44.2)];
  const ratioRounds = [round(230.2, 160.0, 45.7, 43.1), round(300.9, 180.0, 49.6, 41.2)];
  const verdict = path.join(dir, 'vs-pytorch.json');
  fs.writeFileSync(
    verdict,
    JSON.stringify({
      rows: [
        { unpool: 'switch', backend: 'wasm', engine: 'onnxruntime', ...round(215.4, 158.3, 47.9, 42.7), meets: true, rounds: switchRounds },
        // 265.5 / 170 = 1.562 > 1.5: the verdict must read "no".
        { unpool: 'ratio', backend: 'wasm', engine: 'onnxruntime', ...round(265.5, 170.0, 47.6, 42.1), meets: false, rounds: ratioRounds },
      ],
      target: 1.5,
      rounds: 2,
      meets: { switch: true, ratio: false },
      torch: '1.13.0a0',
      torchThreads: 2,
      inputs: [1, 2].map((r) => `reports/x/bench/vs-pytorch-ours-r${r}.json:reports/x/bench/vs-pytorch-torch-r${r}.json`),
    }),
  );
  return { verdict, rounds };
}
