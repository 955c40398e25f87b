/**
 * nutpie's warmup schedule (nuts-rs src/adapt_strategy.rs, GlobalStrategy::adapt; defaults from
 * EuclideanAdaptOptions and src/sampler.rs) as a pure step function over warmup draws. Of N warmup
 * draws, the first 30% are the early phase, the last 15% adapt only the step size, and the main
 * phase lies between. Every good draw goes into a foreground and a background estimator. The
 * windows switch (the background replaces the foreground, a new background starts) once the
 * background holds W draws and another window fits before the final 15%: W = 10 in the early phase;
 * in the main phase W starts at max(80, the background's size when the phase begins) and grows to
 * max(W + 1, round(1.5 W)) at each switch. The metric is recomputed at a switch and otherwise every
 * `updateEvery` draws (1 for the diagonal estimator, 20 for the low-rank one). The step size's dual
 * averaging reads the acceptance statistic early and its symmetric form once no further switch fits
 * ("late") and in the final 15%.
 *
 * Counts are draws per chain: a group of chains that pools its windows passes its pooled counts
 * divided by the number of chains, so the windows switch at the same iterations as one chain's.
 */

export interface NutpieScheduleSettings {
  /** Fraction of the warmup in the early phase (nuts-rs early_window), default 0.3. */
  readonly earlyFraction: number;
  /** Fraction of the warmup at its end that adapts the step size only (step_size_window), default 0.15. */
  readonly stepSizeFraction: number;
  /** Window length of the early phase (early_mass_matrix_switch_freq), default 10. */
  readonly earlyWindow: number;
  /** First window length of the main phase (mass_matrix_switch_freq), default 80. */
  readonly mainWindow: number;
  /** Growth of the main phase's windows per switch (mass_matrix_window_growth), default 1.5. */
  readonly windowGrowth: number;
  /** Recompute the metric every this many draws between switches (mass_matrix_update_freq). */
  readonly updateEvery: number;
}

export const nutpieScheduleSettings: Omit<NutpieScheduleSettings, 'updateEvery'> = {
  earlyFraction: 0.3,
  stepSizeFraction: 0.15,
  earlyWindow: 10,
  mainWindow: 80,
  windowGrowth: 1.5,
};

/** Where the phases of `warmup` draws begin. */
export interface NutpiePhases {
  readonly warmup: number;
  /** First draw of the main phase: floor(earlyFraction * warmup). */
  readonly mainStart: number;
  /** First draw of the final step-size-only window: warmup - floor(stepSizeFraction * warmup). */
  readonly finalStart: number;
}

export function nutpiePhases(warmup: number, settings: NutpieScheduleSettings): NutpiePhases {
  const mainStart = Math.floor(settings.earlyFraction * warmup);
  const finalStart = warmup - Math.floor(settings.stepSizeFraction * warmup);
  return { warmup, mainStart, finalStart };
}

export interface NutpieScheduleState {
  /** The main phase's current window length W. */
  readonly windowSize: number;
  /** The last draw after which the metric changed (0 at the start). */
  readonly lastUpdate: number;
}

export function startNutpieSchedule(settings: NutpieScheduleSettings): NutpieScheduleState {
  return { windowSize: settings.mainWindow, lastUpdate: 0 };
}

/** What to do after a draw of the early or main phase. */
export interface NutpieScheduleStep {
  readonly state: NutpieScheduleState;
  /** Swap the windows (and recompute the metric). */
  readonly switchWindows: boolean;
  /** Recompute the metric (at a switch, or when updateEvery draws have passed since the last change). */
  readonly updateMetric: boolean;
  /** No further switch fits: the step size adapts on the symmetric acceptance statistic. */
  readonly late: boolean;
}

/**
 * The schedule's step after early- or main-phase draw `draw` (< phases.finalStart), given the
 * background's size per chain before and after the draw was added.
 */
export function nutpieScheduleStep(
  settings: NutpieScheduleSettings,
  phases: NutpiePhases,
  state: NutpieScheduleState,
  draw: number,
  backgroundBefore: number,
  backgroundAfter: number,
): NutpieScheduleStep {
  if (draw >= phases.finalStart) throw new Error(`nutpieScheduleStep: draw ${draw} is in the final step-size window`);
  const early = draw < phases.mainStart;
  let windowSize = state.windowSize;
  // Entering the main phase: never shrink below what the background already holds.
  if (!early && draw === phases.mainStart) windowSize = Math.max(windowSize, Math.floor(backgroundBefore));
  const window = early ? settings.earlyWindow : windowSize;
  const next = early ? settings.earlyWindow : Math.max(windowSize + 1, Math.round(windowSize * settings.windowGrowth));
  const late = next + draw > phases.finalStart;
  const switchWindows = backgroundAfter >= window && !late;
  if (switchWindows && !early) windowSize = next;
  const updateMetric = switchWindows || draw - state.lastUpdate >= settings.updateEvery;
  return { state: { windowSize, lastUpdate: state.lastUpdate }, switchWindows, updateMetric, late };
}

/** The state after the metric changed at `draw`. */
export function metricChanged(state: NutpieScheduleState, draw: number): NutpieScheduleState {
  return { ...state, lastUpdate: draw };
}
