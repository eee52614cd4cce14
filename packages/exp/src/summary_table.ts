import type { RunResult } from '@unpool/results';

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '-' : (100 * x).toFixed(1));

function mean(xs: number[]): number | null {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

/**
 * A plain-text table: one row per variant (mean over seeds of each eval set's mIoU and boundary F), then
 * the ratio-minus-switch gains for the plain and Bayesian pairs. Missing runs show '-'.
 */
export function summaryTable(variants: { name: string; label: string }[], evalSets: string[], results: RunResult[]): string {
  const completed = results.filter((r) => r.status === 'completed');
  const miou = (variant: string, set: string) =>
    mean(completed.filter((r) => r.variant === variant).map((r) => r.evals[set]?.miou).filter((x): x is number => typeof x === 'number'));
  const bf = (variant: string, set: string) =>
    mean(completed.filter((r) => r.variant === variant).map((r) => r.evals[set]?.boundary.fscore).filter((x): x is number => typeof x === 'number'));
  const header = ['variant', 'runs', ...evalSets.flatMap((s) => [`${s} mIoU`, `${s} bF`])];
  const rows = variants.map((v) => [
    v.name,
    String(completed.filter((r) => r.variant === v.name).length),
    ...evalSets.flatMap((s) => [pct(miou(v.name, s)), pct(bf(v.name, s))]),
  ]);
  for (const [a, b, name] of [
    ['switch', 'ratio', 'ratio - switch'],
    ['bayes-switch', 'bayes-ratio', 'bayes: ratio - switch'],
  ] as const) {
    if (!variants.some((v) => v.name === a) || !variants.some((v) => v.name === b)) continue;
    rows.push([
      name,
      '',
      ...evalSets.flatMap((s) => {
        const d = (f: typeof miou) => {
          const x = f(b, s);
          const y = f(a, s);
          return x === null || y === null ? '-' : `${x >= y ? '+' : ''}${(100 * (x - y)).toFixed(1)}`;
        };
        return [d(miou), d(bf)];
      }),
    ]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n') + '\n(mIoU over 19 classes and boundary F-score, in %; mean over seeds)';
}
