/**
 * Points to mark on the response curves: each channel's current spend (the curve at multiplier 1)
 * and, where a budget allocation is given, its proposed spend, read off the posterior mean curve
 * by linear interpolation between the curve's spend levels (NaN outside the curve's range).
 */
import type { SpendResponseRow } from './responseCurves.js';

export interface ResponseMark {
  readonly channel: string;
  readonly kind: 'current' | 'proposed';
  /** Total spend over the period (the curve's x). */
  readonly spend: number;
  /** Posterior mean response there (NaN outside the curve). */
  readonly response: number;
}

/** A channel's current and proposed total spend (e.g. an optimizer's output row). */
export interface AllocationRow {
  readonly channel: string;
  readonly current: number;
  readonly proposed: number;
}

/** Linear interpolation of the mean curve of one channel at `spend`. */
export function interpolateResponse(curve: readonly SpendResponseRow[], spend: number): number {
  const sorted = [...curve].sort((a, b) => a.spend - b.spend);
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i];
    const b = sorted[i + 1];
    if (spend >= a.spend && spend <= b.spend) return b.spend === a.spend ? a.mean : a.mean + ((spend - a.spend) / (b.spend - a.spend)) * (b.mean - a.mean);
  }
  return sorted.length === 1 && sorted[0].spend === spend ? sorted[0].mean : NaN;
}

/** Marks for every channel with a curve: current spend (multiplier 1), proposed spend where given. */
export function responseMarks(curves: readonly SpendResponseRow[], allocation: readonly AllocationRow[] = []): ResponseMark[] {
  const marks: ResponseMark[] = [];
  const channels = [...new Set(curves.map((r) => r.channel))];
  for (const channel of channels) {
    const curve = curves.filter((r) => r.channel === channel);
    const current = curve.find((r) => r.multiplier === 1);
    const given = allocation.find((a) => a.channel === channel);
    if (current) marks.push({ channel, kind: 'current', spend: current.spend, response: current.mean });
    else if (given) marks.push({ channel, kind: 'current', spend: given.current, response: interpolateResponse(curve, given.current) });
    if (given) marks.push({ channel, kind: 'proposed', spend: given.proposed, response: interpolateResponse(curve, given.proposed) });
  }
  return marks;
}
