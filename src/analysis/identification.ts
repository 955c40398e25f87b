/**
 * Which channels the data can hardly tell apart, from the media the model sees (before sampling;
 * the fit's log and the health check state them). The model stays proper in each case, since the
 * priors bound every coefficient, so these are warnings, not refusals; but the named channel's
 * effect then rests on its prior (or, for collinear channels, only their combined effect is
 * estimated), and a fit may also mix slowly. Three cases (issue 21, "numerical extremes"):
 * - few active periods: a channel with media > 0 in fewer than max(3, 5% of the periods) periods
 *   (in any geo), e.g. one that spends in one week only: a single pulse and its adstock are all
 *   the data say about its effect;
 * - no variation: a channel whose media is the same in every period of every geo (up to 1e-9
 *   relative): its effect is confounded with the intercept (a geo's, when the level differs by geo);
 * - collinear media: two media inputs, or a media input and a control, correlated at
 *   |r| >= 0.999 over all geo-periods (e.g. one channel duplicated under another name), or
 *   inputs that are linearly dependent (one is an exact linear combination of the others; their
 *   variance inflation factors are infinite, dataChecks.ts `varianceInflation`), named together:
 *   the data identify only the combination.
 * Meridian refuses media that do not vary over time only when its time effects absorb them
 * (knots = periods); Mixwell always fits and says so.
 */
import { correlations, inspectDataFromDesign, varianceInflation } from './dataChecks.js';
import type { MmmDesign } from '../../models/mmm/index.js';

/** A channel active in fewer periods than max(MIN_ACTIVE_PERIODS, MIN_ACTIVE_SHARE x periods) is flagged. */
export const MIN_ACTIVE_PERIODS = 3;
export const MIN_ACTIVE_SHARE = 0.05;
/** |r| at or above this counts as collinear (exact up to rounding and tiny noise). */
export const COLLINEAR_R = 0.999;
/** Relative spread (max - min over max |x|) below this counts as no variation. */
const CONSTANT_TOLERANCE = 1e-9;

export interface FewActivePeriods {
  readonly channel: string;
  readonly activePeriods: number;
  readonly periods: number;
}

export interface CollinearMedia {
  /** Two inputs (a pair with |r| >= COLLINEAR_R, r), or the inputs (channels and controls) that are linearly dependent (r NaN). */
  readonly subjects: readonly string[];
  readonly r: number;
}

export interface MediaIdentification {
  /** Geos of the data (the wording of the no-variation case). */
  readonly geos: number;
  readonly fewActive: readonly FewActivePeriods[];
  readonly noVariation: readonly string[];
  readonly collinear: readonly CollinearMedia[];
}

type IdentificationInput = Pick<MmmDesign, 'geoNames' | 'dates' | 'channelNames' | 'controlNames' | 'media' | 'spend' | 'controls' | 'kpi' | 'kpiUnit' | 'channelKinds'>;

/** The identification findings of a design's media (module comment). */
export function mediaIdentification(design: IdentificationInput): MediaIdentification {
  const G = design.geoNames.length;
  const T = design.dates.length;
  const C = design.channelNames.length;
  const fewActive: FewActivePeriods[] = [];
  const noVariation: string[] = [];
  const minimum = Math.max(MIN_ACTIVE_PERIODS, Math.ceil(MIN_ACTIVE_SHARE * T));
  for (let c = 0; c < C; c++) {
    let active = 0;
    let largest = 0;
    for (let t = 0; t < T; t++) {
      let on = false;
      for (let g = 0; g < G; g++) {
        const x = design.media[(g * T + t) * C + c];
        if (x > 0) on = true;
        largest = Math.max(largest, Math.abs(x));
      }
      if (on) active++;
    }
    // constant in time within every geo (the level may differ by geo)
    let spread = 0;
    for (let g = 0; g < G; g++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let t = 0; t < T; t++) {
        const x = design.media[(g * T + t) * C + c];
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
      spread = Math.max(spread, hi - lo);
    }
    const name = design.channelNames[c];
    if (!(spread > CONSTANT_TOLERANCE * largest)) noVariation.push(name);
    else if (active < minimum) fewActive.push({ channel: name, activePeriods: active, periods: T });
  }
  const collinear: CollinearMedia[] = [];
  const corr = correlations(inspectDataFromDesign(design as MmmDesign));
  const V = corr.variables.length;
  const inPair = new Set<string>();
  for (let i = 0; i < V; i++) {
    for (let j = i + 1; j < V; j++) {
      const r = corr.matrix[i * V + j];
      if (corr.variables[i].kind !== 'media' && corr.variables[j].kind !== 'media') continue;
      if (!(Math.abs(r) >= COLLINEAR_R)) continue;
      collinear.push({ subjects: [corr.variables[i].name, corr.variables[j].name], r });
      inPair.add(corr.variables[i].name);
      inPair.add(corr.variables[j].name);
    }
  }
  // linearly dependent inputs (not already in a pair): each of them is a combination of the others, so they are named together
  const dependent = varianceInflation(corr).filter((row) => row.vif === Infinity && !inPair.has(row.variable) && !noVariation.includes(row.variable)).map((row) => row.variable);
  if (dependent.some((name) => design.channelNames.includes(name))) collinear.push({ subjects: dependent, r: NaN });
  return { geos: G, fewActive, noVariation, collinear };
}

const quote = (name: string) => JSON.stringify(name);

/** One sentence per finding, for the fit's log and the health check. */
export function identificationMessages(found: MediaIdentification): { fewActive: string[]; noVariation: string[]; collinear: string[] } {
  const geos = found.geos;
  return {
    fewActive: found.fewActive.map(
      (f) =>
        `channel ${quote(f.channel)} has media in only ${f.activePeriods} of ${f.periods} periods: its effect rests mostly on its prior; give it an informative prior (model.priors) or a lift test, merge it into a related channel, or drop it`,
    ),
    noVariation: found.noVariation.map(
      (name) =>
        `channel ${quote(name)} has the same media in every period${geos > 1 ? ' of each geo' : ''}: the data cannot tell its effect from the ${geos > 1 ? "geos' intercepts" : 'intercept'}, so it rests on its prior; drop it, or give it an informative prior (model.priors) or a lift test`,
    ),
    collinear: found.collinear.map((f) =>
      f.subjects.length === 2
        ? `${quote(f.subjects[0])} and ${quote(f.subjects[1])} have proportional media over all geo-periods (r = ${f.r.toFixed(4)}): the data identify only their combined effect, the split between them rests on the priors; merge them into one channel, or give one an informative prior (model.priors) or a lift test`
        : `${f.subjects.map(quote).join(', ')} are linearly dependent over all geo-periods (each is an exact linear combination of the others; variance inflation factors infinite): the data cannot identify their separate effects; merge or drop one of them, or give them informative priors (model.priors) or lift tests`,
    ),
  };
}

/** Every finding's sentence, in order (few active periods, no variation, collinear). */
export function identificationWarnings(found: MediaIdentification): string[] {
  const m = identificationMessages(found);
  return [...m.fewActive, ...m.noVariation, ...m.collinear];
}
