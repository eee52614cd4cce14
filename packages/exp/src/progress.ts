/** Formats seconds as 1h02m, 3m05s or 12s. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

export interface ProgressState {
  label: string;
  step: number;
  steps: number;
  loss?: number;
  miou?: number | null;
  secondsPerStep?: number;
  phase?: string;
}

/**
 * One live status line per run on stderr: rewritten in place on a terminal, and printed as a plain line
 * at most every `plainEverySeconds` otherwise (CI logs, files), so long runs show life without flooding.
 */
export class ProgressLine {
  private lastPlain = 0;
  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly plainEverySeconds = 20,
  ) {}

  render(s: ProgressState): string {
    const parts = [`[${s.label}]`, `step ${s.step}/${s.steps}`];
    if (s.phase) parts.push(s.phase);
    if (s.loss !== undefined) parts.push(`loss ${s.loss.toFixed(4)}`);
    if (s.miou !== undefined) parts.push(`val mIoU ${s.miou === null ? '-' : (100 * s.miou).toFixed(1) + '%'}`);
    if (s.secondsPerStep) {
      parts.push(`${(1 / s.secondsPerStep).toFixed(2)} steps/s`);
      parts.push(`ETA ${formatDuration((s.steps - s.step) * s.secondsPerStep)}`);
    }
    return parts.join('  ');
  }

  update(s: ProgressState, force = false): void {
    const text = this.render(s);
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[2K${text}`);
      return;
    }
    const now = Date.now() / 1000;
    if (force || now - this.lastPlain >= this.plainEverySeconds) {
      this.lastPlain = now;
      this.stream.write(`${text}\n`);
    }
  }

  /** Ends the live line with a permanent message. */
  done(message: string): void {
    this.stream.write(this.stream.isTTY ? `\r\x1b[2K${message}\n` : `${message}\n`);
  }
}
