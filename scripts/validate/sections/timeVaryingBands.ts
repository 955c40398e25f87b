/**
 * Posterior bands of a time-varying channel's log effectiveness w_c(t) (model.timeVarying, issue 22;
 * models/mmm/components/timeVarying.ts): for every pooled draw, w of the channel's slot from the
 * draw's constrained values (`logEffectivenessHost`), then per period the mean and the type-7 5% and
 * 95% quantiles over draws (the central 90% band, as checks.ts's intervals). Also the coverage of a
 * true curve by the band, the band's mean width over chosen periods, and per draw the sd over
 * periods of w (the size of the variation the data identify, whatever the GP's amplitude and length
 * scale). Used by section
 * `tv-recovery` and tests/mmm.timeVarying.recovery.test.ts.
 */
import { drawAt, totalDrawCount } from '../../../src/analysis/index.js';
import { quantileOfSorted } from '../../../src/diagnostics/index.js';
import type { MmmFit } from '../../../src/mmm/fit.js';
import { logEffectivenessHost, timeVaryingLayout } from '../../../models/mmm/index.js';

export interface LogEffectivenessBand {
  readonly channel: string;
  /** Per period [T]. */
  readonly mean: Float64Array;
  readonly q05: Float64Array;
  readonly q95: Float64Array;
  readonly draws: number;
}

/** The 90% band of w for `channel` over all draws of a fit with that channel time-varying. */
export function logEffectivenessBand(fit: MmmFit, channel: string): LogEffectivenessBand {
  const { design, model, result } = fit;
  const layout = timeVaryingLayout(design, model.config);
  if (!layout) throw new Error('logEffectivenessBand: the fit has no time-varying channels');
  const c = design.channelNames.indexOf(channel);
  if (c < 0) throw new Error(`logEffectivenessBand: unknown channel "${channel}"`);
  const slot = layout.slotOf[c];
  if (slot < 0) throw new Error(`logEffectivenessBand: channel "${channel}" is not time-varying in this fit`);
  const T = layout.periods;
  const S = totalDrawCount(result.posterior);
  const byPeriod = new Float64Array(T * S); // [T, S]
  const w = new Float64Array(T);
  for (let s = 0; s < S; s++) {
    logEffectivenessHost(layout, drawAt(result.posterior, s), slot, w);
    for (let t = 0; t < T; t++) byPeriod[t * S + s] = w[t];
  }
  const mean = new Float64Array(T);
  const q05 = new Float64Array(T);
  const q95 = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    const sorted = byPeriod.subarray(t * S, (t + 1) * S).sort();
    mean[t] = sorted.reduce((a, b) => a + b, 0) / S;
    q05[t] = quantileOfSorted(sorted, 0.05);
    q95[t] = quantileOfSorted(sorted, 0.95);
  }
  return { channel, mean, q05, q95, draws: S };
}

/** Fraction of periods where the band holds `truth` [T]. */
export function bandCoverage(band: LogEffectivenessBand, truth: ArrayLike<number>): number {
  if (truth.length !== band.mean.length) throw new Error(`bandCoverage: truth has ${truth.length} periods, the band ${band.mean.length}`);
  let covered = 0;
  for (let t = 0; t < truth.length; t++) if (truth[t] >= band.q05[t] && truth[t] <= band.q95[t]) covered++;
  return covered / truth.length;
}

/** Mean band width (q95 - q05) over `periods` (all when omitted). */
export function meanBandWidth(band: LogEffectivenessBand, periods?: readonly number[]): number {
  const chosen = periods ?? Array.from(band.mean, (_, t) => t);
  if (chosen.length === 0) throw new Error('meanBandWidth: no periods');
  return chosen.reduce((sum, t) => sum + band.q95[t] - band.q05[t], 0) / chosen.length;
}

/** Per time-varying slot (data order of the channels), the sd over periods of w (root mean square: w is centred) of every draw. */
export function logEffectivenessSdDraws(fit: MmmFit): Float64Array[] {
  const { design, model, result } = fit;
  const layout = timeVaryingLayout(design, model.config);
  if (!layout) throw new Error('logEffectivenessSdDraws: the fit has no time-varying channels');
  const S = totalDrawCount(result.posterior);
  const out = Array.from(layout.channels, () => new Float64Array(S));
  const w = new Float64Array(layout.periods);
  for (let s = 0; s < S; s++) {
    const values = drawAt(result.posterior, s);
    out.forEach((sds, k) => (sds[s] = rootMeanSquare(logEffectivenessHost(layout, values, k, w))));
  }
  return out;
}

export function rootMeanSquare(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] * values[i];
  return Math.sqrt(sum / values.length);
}
