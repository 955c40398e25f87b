/**
 * Hill saturation of a reach and frequency channel's average frequency (Meridian's adstock_hill_rf,
 * equations.py: Hill on the frequency, times the reach, then adstocked): the curve, its rows and its
 * backward are Hill's (hill.ts), with parameters of their own, `k_rf` (half-saturation frequency) and
 * `s_rf` (slope), so that they never share a row or a prior with the impression channels' k and s.
 * Default priors as Meridian's on the frequency scale: slope_rf LogNormal(0.7, 0.4); ec_rf is
 * Meridian's LogNormal(0.7, 0.4) shifted by 0.1, and our distributions have no shift, so k_rf takes
 * LogNormal(0.7, 0.4) itself (median 2.0 against Meridian's 2.1; no lower bound at 0.1).
 * Not a `model.saturation.type`: transformKinds.ts gives it to the reach and frequency channels.
 */
import { POSITIVE, type TransformParameter } from '../types.js';
import { hill } from './hill.js';
import type { SaturationKind } from './kind.js';

const halfSaturation: TransformParameter = {
  name: 'k_rf', description: 'half-saturation frequency (reach and frequency channels)', support: () => POSITIVE, defaultPrior: () => ({ dist: 'logNormal', mu: 0.7, sigma: 0.4 }),
};
const slopeParameter: TransformParameter = {
  name: 's_rf', description: 'Hill slope on the frequency (reach and frequency channels)', support: () => POSITIVE, defaultPrior: () => ({ dist: 'logNormal', mu: 0.7, sigma: 0.4 }),
};

/** Hill with a free slope on the frequency (options are ignored: never a fixed slope). */
export const hillFrequency: SaturationKind = {
  ...hill,
  type: 'hillFrequency',
  description: 'reach x f^s / (f^s + k^s) of the frequency f (reach and frequency channels)',
  parameters: () => [halfSaturation, slopeParameter],
};
