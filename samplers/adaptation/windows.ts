/**
 * Stan's warmup schedule as data (Stan Reference Manual, "HMC algorithm parameters: automatic
 * parameter tuning"; stan::mcmc::windowed_adaptation). Warmup is an initial fast interval (step size
 * only, 75 iterations), a series of slow windows that estimate the metric (the first 25 iterations,
 * each next one twice as long, the last stretched to fill the remaining space), and a terminal fast
 * interval (50). The window ends are computed by running Stan's own counter logic.
 *
 * Small warmups: below 20 iterations there is no metric adaptation. When the buffers and the first
 * window do not fit (e.g. warmup < 150 with the defaults), they are rescaled to 15% / 75% / 10% of the
 * warmup (truncated to integers, as Stan does), which gives one slow window from 15% to 90%. Note:
 * Stan's set_window_params returns from that branch without calling restart(), so as written its
 * window counter never meets the rescaled first window end; we implement the documented schedule.
 */

export interface WindowSettings {
  /** Initial fast interval (Stan's init_buffer, default 75). */
  readonly initBuffer: number;
  /** Terminal fast interval (Stan's term_buffer, default 50). */
  readonly termBuffer: number;
  /** First slow window (Stan's window, default 25). */
  readonly baseWindow: number;
  /** False: adapt the step size only and keep the initial metric (default true). */
  readonly adaptMetric?: boolean;
}

export const stanWindowSettings: WindowSettings = { initBuffer: 75, termBuffer: 50, baseWindow: 25 };

/** A slow window: the metric is estimated from iterations start..end (inclusive) and updated after `end`. */
export interface SlowWindow {
  readonly start: number;
  readonly end: number;
}

export interface AdaptationSchedule {
  readonly numWarmup: number;
  /** False when numWarmup < 20: step size adaptation only. */
  readonly adaptMetric: boolean;
  /** True when the requested buffers did not fit and were rescaled to 15% / 75% / 10%. */
  readonly rescaled: boolean;
  readonly initBuffer: number;
  readonly termBuffer: number;
  readonly baseWindow: number;
  readonly windows: readonly SlowWindow[];
}

/** The warmup schedule for `numWarmup` iterations, following Stan's windowed_adaptation. */
export function adaptationSchedule(numWarmup: number, settings: WindowSettings = stanWindowSettings): AdaptationSchedule {
  if (!Number.isInteger(numWarmup) || numWarmup < 0) throw new Error(`numWarmup must be an integer >= 0, got ${numWarmup}`);
  for (const name of ['initBuffer', 'termBuffer', 'baseWindow'] as const) {
    const value = settings[name];
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be an integer >= 0, got ${value}`);
  }
  if (settings.baseWindow < 1) throw new Error('baseWindow must be >= 1');
  if (numWarmup < 20 || settings.adaptMetric === false) {
    return { numWarmup, adaptMetric: false, rescaled: false, initBuffer: 0, termBuffer: 0, baseWindow: 0, windows: [] };
  }
  let { initBuffer, termBuffer, baseWindow } = settings;
  let rescaled = false;
  if (initBuffer + baseWindow + termBuffer > numWarmup) {
    rescaled = true;
    initBuffer = Math.floor(0.15 * numWarmup);
    termBuffer = Math.floor(0.1 * numWarmup);
    baseWindow = numWarmup - (initBuffer + termBuffer);
  }

  // Stan's counters: adapt_window_size_, adapt_next_window_, compute_next_window().
  const lastEnd = numWarmup - termBuffer - 1;
  let windowSize = baseWindow;
  let nextEnd = initBuffer + windowSize - 1;
  const windows: SlowWindow[] = [];
  let start = initBuffer;
  for (let counter = 0; counter < numWarmup; counter++) {
    if (counter !== nextEnd) continue;
    windows.push({ start, end: counter });
    start = counter + 1;
    if (nextEnd === lastEnd) continue;
    windowSize *= 2;
    nextEnd = counter + windowSize;
    if (nextEnd === lastEnd) continue;
    const followingBoundary = nextEnd + 2 * windowSize;
    if (followingBoundary >= numWarmup - termBuffer) nextEnd = lastEnd;
  }
  return { numWarmup, adaptMetric: true, rescaled, initBuffer, termBuffer, baseWindow, windows };
}

/** Whether warmup iteration `iteration` contributes to the metric estimate (Stan's adaptation_window). */
export function inSlowWindow(schedule: AdaptationSchedule, iteration: number): boolean {
  return (
    schedule.adaptMetric && iteration >= schedule.initBuffer && iteration < schedule.numWarmup - schedule.termBuffer
  );
}

/** Whether the metric is updated after warmup iteration `iteration` (Stan's end_adaptation_window). */
export function isWindowEnd(schedule: AdaptationSchedule, iteration: number): boolean {
  return schedule.windows.some((window) => window.end === iteration);
}
