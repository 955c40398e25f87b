/**
 * What the kinds of media channel (types.ts `ChannelKind`) share: paid ones have spend (ROI, an ROI
 * prior, planned by the optimizer), reach and frequency ones are modelled from reach and average
 * frequency (Meridian's R&F: Hill on the frequency, times the reach, then adstock), paid or organic.
 */
import type { ChannelKind } from './types.js';

/** True for the kinds modelled from reach and frequency (paid or organic). */
export function isReachFrequencyKind(kind: ChannelKind | undefined): boolean {
  return kind === 'rf' || kind === 'organicRf';
}

/** True for the kinds with spend (absent: a paid channel). */
export function isPaidKind(kind: ChannelKind | undefined): boolean {
  return kind === undefined || kind === 'paid' || kind === 'rf';
}
