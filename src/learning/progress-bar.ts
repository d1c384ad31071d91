/**
 * A one-line progress bar redrawn in place with a carriage return. Drawn only on a terminal: in a
 * pipe or a log file the redraws would be hundreds of lines of noise, so there it stays silent.
 */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export class ProgressBar {
  private readonly stream: ProgressStream;
  private readonly minIntervalMs: number;
  private lastDrawAt = Number.NEGATIVE_INFINITY;
  private lastLabel = '';
  private drawn = false;

  constructor(stream: ProgressStream, options: { minIntervalMs?: number } = {}) {
    this.stream = stream;
    // About 10 redraws a second: enough to look alive, cheap next to what is being measured.
    this.minIntervalMs = options.minIntervalMs ?? 100;
  }

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  update(label: string, done: number, total: number): void {
    if (!this.enabled) return;
    const now = performance.now();
    const finished = done >= total;
    // A new label or the last step is always drawn; steps in between at most every minIntervalMs.
    if (label === this.lastLabel && !finished && now - this.lastDrawAt < this.minIntervalMs) return;
    this.lastDrawAt = now;
    this.lastLabel = label;
    this.drawn = true;
    this.stream.write(`\r${renderProgressLine(label, done, total, this.stream.columns ?? 80)}\x1b[K`);
  }

  /** Erases the bar so that the next output starts on a clean line. */
  clear(): void {
    if (!this.enabled || !this.drawn) return;
    this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}

/** `label [#########.........]  45% 45000/100000`, fitted into `columns`. */
export function renderProgressLine(label: string, done: number, total: number, columns: number): string {
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 1;
  const tail = ` ${String(Math.floor(fraction * 100)).padStart(3)}% ${done}/${total}`;
  const width = Math.max(10, Math.min(40, columns - label.length - tail.length - 4));
  const filled = Math.round(fraction * width);
  const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}]${tail}`;
  return line.length > columns - 1 ? line.slice(0, Math.max(0, columns - 1)) : line;
}
