/**
 * Step-size adaptation by Nesterov dual averaging (Hoffman & Gelman 2014, section 3.2.1; Stan's
 * stepsize_adaptation). With H_t = delta - alpha_t (alpha_t the transition's acceptance statistic,
 * capped at 1):
 *   sBar_t = (1 - 1/(t + t0)) sBar_{t-1} + H_t / (t + t0)
 *   log eps_t = mu - sqrt(t) / gamma * sBar_t
 *   log epsBar_t = t^-kappa log eps_t + (1 - t^-kappa) log epsBar_{t-1}
 * Stan's constants: gamma 0.05, t0 10, kappa 0.75, delta 0.8, mu = log(10 eps0). After warmup the
 * step size is epsBar. nuts-rs (src/stepsize/dual_avg.rs) uses the same constants and caps
 * log eps_t at log(pi) (`maxStepSize`; Stan has no cap).
 */

export interface DualAveragingSettings {
  /** Target acceptance statistic delta (Stan's adapt_delta, default 0.8). */
  readonly targetAcceptance: number;
  readonly gamma: number;
  readonly t0: number;
  readonly kappa: number;
  /** Largest step size dual averaging proposes (nuts-rs: pi); none by default (Stan). */
  readonly maxStepSize?: number;
}

/** The constants beyond the target. */
export type DualAveragingConstants = Omit<DualAveragingSettings, 'targetAcceptance'>;

export const stanDualAveragingSettings: DualAveragingSettings = { targetAcceptance: 0.8, gamma: 0.05, t0: 10, kappa: 0.75 };

export interface DualAveragingState {
  /** Shrinkage point: log(10 * step size) at the (re)start. */
  readonly mu: number;
  readonly counter: number;
  readonly sBar: number;
  /** log of the averaged step size. */
  readonly xBar: number;
}

/** A fresh state shrinking toward log(10 * stepSize) (Stan's set_mu + restart). */
export function startDualAveraging(stepSize: number): DualAveragingState {
  return { mu: Math.log(10 * stepSize), counter: 0, sBar: 0, xBar: 0 };
}

/** One dual-averaging step (Stan's learn_stepsize); returns the new state and the next step size. */
export function updateDualAveraging(
  state: DualAveragingState,
  acceptStat: number,
  settings: DualAveragingSettings = stanDualAveragingSettings,
): { readonly state: DualAveragingState; readonly stepSize: number } {
  const counter = state.counter + 1;
  const alpha = acceptStat > 1 ? 1 : acceptStat;
  const eta = 1 / (counter + settings.t0);
  const sBar = (1 - eta) * state.sBar + eta * (settings.targetAcceptance - alpha);
  let x = state.mu - (sBar * Math.sqrt(counter)) / settings.gamma;
  if (settings.maxStepSize !== undefined) x = Math.min(x, Math.log(settings.maxStepSize));
  const xEta = Math.pow(counter, -settings.kappa);
  const xBar = (1 - xEta) * state.xBar + xEta * x;
  return { state: { mu: state.mu, counter, sBar, xBar }, stepSize: Math.exp(x) };
}

/** The adapted step size exp(xBar) (Stan's complete_adaptation). */
export function finalDualAveragingStepSize(state: DualAveragingState): number {
  return Math.exp(state.xBar);
}
