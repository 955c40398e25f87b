/**
 * The batch's progress on a terminal: a line per fit as it finishes (done with its time, health
 * and headline ROI; retried; failed with the error; skipped) and, on a TTY, a live block at the
 * bottom with one progress bar per running fit and an overall bar, redrawn in place (ANSI cursor
 * movement) at most ten times a second. Without a TTY (logs, CI) the start and finished-fit lines,
 * an overall line after each fit, and a line per running fit at every 10% of its iterations (so a
 * long fit is never silent in a log).
 */
import { formatHealth, formatRoi } from './outcome.js';
import type { BatchEvent } from './pool.js';

export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface ProgressView {
  handle(event: BatchEvent): void;
  /** Draw the final state and stop redrawing. */
  close(): void;
}

interface Running {
  fraction: number;
  phase: string;
  attempt: number;
  /** Without a TTY: the last 10% step printed. */
  step: number;
}

const BAR = 24;

function bar(fraction: number, width = BAR): string {
  const filled = Math.max(0, Math.min(width, Math.round(width * fraction)));
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

function clock(seconds: number): string {
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}

export function createProgressView(stream: ProgressStream, options: { readonly tty?: boolean } = {}): ProgressView {
  const tty = options.tty ?? Boolean(stream.isTTY);
  const started = Date.now();
  const running = new Map<string, Running>();
  let total = 0;
  let done = 0;
  let skipped = 0;
  let failed = 0;
  let idWidth = 8;
  let liveLines = 0;
  let lastDraw = 0;
  let closed = false;
  const pending: string[] = [];

  const overall = () => {
    const finished = done + skipped + failed;
    return `${bar(total > 0 ? finished / total : 1, 30)} ${finished}/${total} fits  done ${done}  skipped ${skipped}  failed ${failed}  running ${running.size}  ${clock((Date.now() - started) / 1000)}`;
  };
  const width = () => Math.max(40, (stream.columns ?? 120) - 1);
  const fit = (line: string) => (line.length > width() ? `${line.slice(0, width() - 3)}...` : line);

  const draw = (force = false) => {
    if (!tty) {
      for (const line of pending.splice(0)) stream.write(line + '\n');
      return;
    }
    const now = Date.now();
    if (!force && pending.length === 0 && now - lastDraw < 100) return;
    lastDraw = now;
    let text = liveLines > 0 ? `\x1b[${liveLines}F\x1b[J` : '';
    for (const line of pending.splice(0)) text += line + '\n';
    const live = [...running].map(([id, r]) => fit(`  ${id.padEnd(idWidth)} ${bar(r.fraction)} ${String(Math.floor(100 * r.fraction)).padStart(3)}% ${r.phase.padEnd(8)} attempt ${r.attempt}`));
    if (!closed) live.push(fit(overall()));
    for (const line of live) text += line + '\n';
    liveLines = live.length;
    stream.write(text);
  };

  /** Whether the last line printed (without a TTY) is the overall line, which close() then need not repeat. */
  let overallShown = false;
  const say = (line: string) => {
    pending.push(line);
    overallShown = false;
  };
  const sayOverall = () => {
    say(overall());
    overallShown = true;
  };

  return {
    handle(event) {
      switch (event.type) {
        case 'plan':
          total = event.total;
          say(`batch: ${event.total} fits, ${event.skipped} already complete, ${event.toRun} to run ${event.workers > 0 ? `on ${event.workers} worker process${event.workers === 1 ? '' : 'es'} at a time` : 'on the queue\'s workers'}`);
          break;
        case 'skipped':
          skipped++;
          idWidth = Math.max(idWidth, event.task.id.length);
          say(`skip    ${event.task.id.padEnd(idWidth)}  output complete`);
          break;
        case 'start':
          idWidth = Math.max(idWidth, event.task.id.length);
          running.set(event.task.id, { fraction: 0, phase: 'starting', attempt: event.attempt, step: 0 });
          if (!tty) say(`start   ${event.task.id.padEnd(idWidth)}  attempt ${event.attempt}${event.pid > 0 ? ` (process ${event.pid})` : event.worker ? ` (${event.worker})` : ''}`);
          break;
        case 'progress': {
          const r = running.get(event.task.id);
          if (r) {
            r.fraction = event.progress.total > 0 ? event.progress.completed / event.progress.total : 0;
            r.phase = event.progress.phase;
            const step = Math.floor(10 * r.fraction);
            if (!tty && step > r.step && step < 10) {
              r.step = step;
              say(`running ${event.task.id.padEnd(idWidth)}  ${10 * step}% ${r.phase}, divergences ${event.progress.divergences}  ${clock((Date.now() - started) / 1000)}`);
            }
          }
          break;
        }
        case 'done': {
          running.delete(event.task.id);
          done++;
          const record = event.record;
          const seconds = record.seconds ? `${record.seconds.total.toFixed(1)} s` : '';
          say(`done    ${event.task.id.padEnd(idWidth)}  ${seconds}  health ${record.health ? formatHealth(record.health) : '?'}  ROI ${record.roi ? formatRoi(record.roi) : '?'}`);
          if (!tty) sayOverall();
          break;
        }
        case 'retry':
          running.delete(event.task.id);
          say(`retry   ${event.task.id.padEnd(idWidth)}  attempt ${event.error.attempt} failed (${event.error.kind}): ${firstLine(event.error.message)}; ${event.attemptsLeft} attempt${event.attemptsLeft === 1 ? '' : 's'} left`);
          break;
        case 'failed': {
          running.delete(event.task.id);
          failed++;
          const last = event.record.errors[event.record.errors.length - 1];
          say(`FAILED  ${event.task.id.padEnd(idWidth)}  ${event.record.note ?? ''}: ${last ? last.message.split('\n').join('\n          ') : 'unknown error'}`);
          if (!tty) sayOverall();
          break;
        }
        case 'end':
          break;
      }
      draw(event.type !== 'progress');
    },
    close() {
      if (closed) return;
      closed = true;
      running.clear();
      if (tty || !overallShown) say(overall());
      draw(true);
    },
  };
}
