/**
 * Progress of `sample` for people and logs. On a TTY: a one-line bar redrawn in place, with the
 * iterations and gradients (leapfrog steps over all chains) per second and the time left (ETA, from
 * the rate so far), redrawn when the shown percentage, phase, divergence count or ETA changes.
 * Elsewhere (CI logs, batch logs, pipes, notebooks' captured stderr): one plain line at every
 * `lineEveryPercent` (default 10%) and at least every `lineEverySeconds` (default 60) while it runs,
 * with the phase, iteration per chain, divergences so far, gradients per second, elapsed time and
 * ETA; nothing repeats. `quiet` silences both.
 */
import type { SampleProgress } from './types.js';

export interface ProgressBarOptions {
  /** Where to draw; default process.stderr. */
  readonly stream?: NodeJS.WriteStream;
  /** Bar width in characters, default 30. */
  readonly width?: number;
  /** Print nothing (default false). */
  readonly quiet?: boolean;
  /** Without a TTY: a line at every this many percent (default 10)... */
  readonly lineEveryPercent?: number;
  /** ...and at least every this many seconds (default 60). */
  readonly lineEverySeconds?: number;
  /** Clock in milliseconds (default performance.now; tests pass a fake). */
  readonly now?: () => number;
}

/** "45 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** Gradients per second so far, rounded: "2,840 grad/s". */
export function formatGradientRate(gradients: number, elapsedSeconds: number): string {
  return `${Math.round(gradients / Math.max(elapsedSeconds, 1e-9)).toLocaleString('en-US')} grad/s`;
}

/** Seconds left at the rate so far (undefined before 1% is done: the start-up would dominate the rate). */
function secondsLeft(progress: SampleProgress, elapsedSeconds: number): number | undefined {
  if (progress.completed === 0 || progress.completed < 0.01 * progress.total) return undefined;
  return (elapsedSeconds * (progress.total - progress.completed)) / progress.completed;
}

/** An onProgress callback: a redrawn bar on a TTY, plain lines otherwise, nothing when quiet (module comment). */
export function progressBar(options: ProgressBarOptions = {}): (progress: SampleProgress) => void {
  if (options.quiet) return () => {};
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const started = now();
  const width = options.width ?? 30;
  if (stream.isTTY) {
    let lastKey = '';
    return (progress) => {
      const fraction = progress.total === 0 ? 1 : progress.completed / progress.total;
      const elapsed = (now() - started) / 1000;
      const left = secondsLeft(progress, elapsed);
      const eta = left === undefined ? '' : `  ${(progress.completed / Math.max(elapsed, 1e-9)).toFixed(0)} it/s  ${formatGradientRate(progress.gradients, elapsed)}  ETA ${formatDuration(left)}`;
      const key = `${Math.floor(100 * fraction)}|${progress.phase}|${progress.divergences}|${progress.warmupDivergences}|${eta}`;
      if (key === lastKey && progress.completed !== progress.total) return;
      lastKey = key;
      stream.write(`\r${formatProgress(progress, width)}${eta}  `);
      if (progress.completed === progress.total) stream.write('\n');
    };
  }
  const everyPercent = options.lineEveryPercent ?? 10;
  const everySeconds = options.lineEverySeconds ?? 60;
  let lastStep = -1;
  let lastLine = started;
  return (progress) => {
    const fraction = progress.total === 0 ? 1 : progress.completed / progress.total;
    const step = Math.floor((100 * fraction) / everyPercent);
    const time = now();
    const done = progress.completed === progress.total;
    if (step === lastStep && (time - lastLine) / 1000 < everySeconds && !done) return;
    if (step === lastStep && done) return;
    lastStep = step;
    lastLine = time;
    const elapsed = (time - started) / 1000;
    const left = secondsLeft(progress, elapsed);
    const iteration = Math.floor(progress.completed / Math.max(progress.chains, 1));
    stream.write(
      `progress: ${Math.floor(100 * fraction)}% ${progress.phase}, iteration ${iteration} of ${progress.iterationsPerChain} per chain (${progress.chains} chain${progress.chains === 1 ? '' : 's'}), ` +
        `divergences ${progress.divergences} (warmup ${progress.warmupDivergences}), ${formatGradientRate(progress.gradients, elapsed)}, ${formatDuration(elapsed)} elapsed${done ? '' : `, ETA ${left === undefined ? '?' : formatDuration(left)}`}\n`,
    );
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
