// The progress bar (stderr, TTY only, long scans only). Nothing here writes to stdout.
import type { LoadProgressEvent } from "./discovery/load.js";

export type ProgressEvent = LoadProgressEvent;

export interface ProgressStream {
  write(s: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressBar {
  update: (e: ProgressEvent) => void;
  /** clear the bar (call before anything else is written to the stream) */
  finish: () => void;
}

const LABEL: Record<ProgressEvent["phase"], string> = { walk: "finding files", read: "reading", parse: "parsing", rules: "analysing" };

/** A bar that draws only after `delayMs` (short scans never see it), at most every
 *  `intervalMs`, on one line it rewrites and clears at the end. */
export function createProgressBar(
  stream: ProgressStream,
  opts: { delayMs?: number; intervalMs?: number; now?: () => number } = {},
): ProgressBar {
  const now = opts.now ?? (() => performance.now());
  const start = now();
  const delay = opts.delayMs ?? 400;
  const interval = opts.intervalMs ?? 100;
  let last = -Infinity;
  let drawn = false;
  const draw = (e: ProgressEvent) => {
    const width = Math.max(40, Math.min(stream.columns || 80, 120)) - 1;
    const head = `djangoguard: ${LABEL[e.phase]}`;
    let line = head;
    if (e.total > 0) {
      const frac = Math.min(1, e.done / e.total);
      const tail = ` ${String(Math.round(frac * 100)).padStart(3)}% ${e.done}/${e.total}`;
      const barWidth = Math.max(10, width - head.length - tail.length - 3);
      const fill = Math.round(frac * barWidth);
      line = `${head} [${"#".repeat(fill)}${"-".repeat(barWidth - fill)}]${tail}`;
    }
    stream.write(`\r\x1b[2K${line.slice(0, width)}`);
    drawn = true;
  };
  return {
    update(e) {
      const t = now();
      if (t - start < delay) return;
      const phaseEnd = e.total > 0 && e.done === e.total;
      if (t - last < interval && !phaseEnd) return;
      last = t;
      draw(e);
    },
    finish() {
      if (drawn) stream.write("\r\x1b[2K");
      drawn = false;
    },
  };
}
