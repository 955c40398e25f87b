/**
 * Initial positions, as in Stan's services::util::initialize: each unconstrained coordinate is drawn
 * uniformly from (-radius, radius) (radius 2 by default; radius 0 means the origin) and the draw is
 * retried, up to 100 times, while the log density or its gradient is not finite. A user-given
 * position is evaluated once and rejected with an error if it is not finite.
 */
import type { Rng } from '../src/tensor/rng.js';
import type { Evaluating } from './evaluation.js';
import { allFinite } from './math.js';
import type { ChainState } from './state.js';

export interface InitSettings {
  readonly radius: number;
  readonly maxTries: number;
}

export const defaultInitSettings: InitSettings = { radius: 2, maxTries: 100 };

/** A finite starting state: `given` if provided, else random uniform(-radius, radius) draws. */
export function* initialState(
  dim: number,
  rng: Rng,
  settings: InitSettings = defaultInitSettings,
  given?: Float64Array,
): Evaluating<ChainState> {
  if (given !== undefined) {
    if (given.length !== dim) throw new Error(`initial position has length ${given.length}, expected ${dim}`);
    const position = Float64Array.from(given);
    const evaluation = yield position;
    if (!Number.isFinite(evaluation.logDensity) || !allFinite(evaluation.gradient)) {
      throw new Error(
        `the given initial position has a non-finite log density (${evaluation.logDensity}) or gradient`,
      );
    }
    return { position, logDensity: evaluation.logDensity, gradient: evaluation.gradient };
  }
  const tries = settings.radius === 0 ? 1 : settings.maxTries;
  let last = Number.NaN;
  for (let attempt = 0; attempt < tries; attempt++) {
    const position = new Float64Array(dim);
    if (settings.radius > 0) {
      for (let i = 0; i < dim; i++) position[i] = -settings.radius + 2 * settings.radius * rng.uniform();
    }
    const evaluation = yield position;
    last = evaluation.logDensity;
    if (Number.isFinite(evaluation.logDensity) && allFinite(evaluation.gradient)) {
      return { position, logDensity: evaluation.logDensity, gradient: evaluation.gradient };
    }
  }
  throw new Error(
    `could not find a finite log density and gradient after ${tries} random initialization(s) in ` +
      `(-${settings.radius}, ${settings.radius}) (last log density: ${last}); try a smaller initRadius or give init`,
  );
}
