/**
 * A one-line text progress bar for `sample`'s onProgress callback. It draws on stderr (or a given
 * stream) only when that stream is a TTY and stays silent otherwise (CI logs, pipes, tests). It
 * redraws only when the shown percentage, phase or divergence count changes.
 */
import type { SampleProgress } from './types.js';

export interface ProgressBarOptions {
  /** Where to draw; default process.stderr. */
  readonly stream?: NodeJS.WriteStream;
  /** Bar width in characters, default 30. */
  readonly width?: number;
}

/** An onProgress callback that draws a progress bar when the stream is a TTY, and does nothing otherwise. */
export function progressBar(options: ProgressBarOptions = {}): (progress: SampleProgress) => void {
  const stream = options.stream ?? process.stderr;
  if (!stream.isTTY) return () => {};
  const width = options.width ?? 30;
  let lastKey = '';
  return (progress) => {
    const fraction = progress.total === 0 ? 1 : progress.completed / progress.total;
    const percent = Math.floor(100 * fraction);
    const key = `${percent}|${progress.phase}|${progress.divergences}|${progress.warmupDivergences}`;
    if (key === lastKey && progress.completed !== progress.total) return;
    lastKey = key;
    stream.write(`\r${formatProgress(progress, width)}`);
    if (progress.completed === progress.total) stream.write('\n');
  };
}

/** The bar's text, e.g. "[#########---------]  45% warmup  4 chains  divergences 0 (warmup 2)". */
export function formatProgress(progress: SampleProgress, width = 30): string {
  const fraction = progress.total === 0 ? 1 : progress.completed / progress.total;
  const filled = Math.round(width * fraction);
  const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
  const percent = String(Math.floor(100 * fraction)).padStart(3);
  return (
    `[${bar}] ${percent}% ${progress.phase.padEnd(8)} ${progress.chains} chain${progress.chains === 1 ? '' : 's'}` +
    `  divergences ${progress.divergences} (warmup ${progress.warmupDivergences})`
  );
}
