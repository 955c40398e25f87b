/**
 * Storage for one chain's draws and per-draw sampler statistics (Stan's lp__, accept_stat__,
 * stepsize__, treedepth__, n_leapfrog__, divergent__, energy__), preallocated as typed arrays:
 * draws row-major [n, dim], statistics as one array per field.
 */
import type { TransitionInfo } from './state.js';

export interface DrawStats {
  readonly treeDepth: Int32Array;
  readonly nLeapfrog: Int32Array;
  /** 1 when the transition diverged. */
  readonly divergent: Uint8Array;
  readonly energy: Float64Array;
  readonly acceptStat: Float64Array;
  readonly stepSize: Float64Array;
  readonly logDensity: Float64Array;
}

export function createDrawStats(capacity: number): DrawStats {
  return {
    treeDepth: new Int32Array(capacity),
    nLeapfrog: new Int32Array(capacity),
    divergent: new Uint8Array(capacity),
    energy: new Float64Array(capacity),
    acceptStat: new Float64Array(capacity),
    stepSize: new Float64Array(capacity),
    logDensity: new Float64Array(capacity),
  };
}

export class DrawRecorder {
  readonly draws: Float64Array;
  readonly stats: DrawStats;
  private filled = 0;

  constructor(
    readonly dim: number,
    readonly capacity: number,
  ) {
    this.draws = new Float64Array(capacity * dim);
    this.stats = createDrawStats(capacity);
  }

  get count(): number {
    return this.filled;
  }

  /** Start from rows already recorded (a checkpoint's): `draws` row-major [count, dim], `stats` of the same count. */
  prefill(draws: Float64Array, stats: DrawStats): void {
    const count = stats.treeDepth.length;
    if (this.filled !== 0) throw new Error('DrawRecorder: prefill of a recorder that has recorded');
    if (count > this.capacity || draws.length !== count * this.dim) throw new Error(`DrawRecorder: ${count} rows of ${draws.length / Math.max(count, 1)} values do not fit [${this.capacity}, ${this.dim}]`);
    this.draws.set(draws);
    for (const key of Object.keys(stats) as (keyof DrawStats)[]) (this.stats[key] as Float64Array).set(stats[key] as Float64Array);
    this.filled = count;
  }

  record(position: Float64Array, info: TransitionInfo): void {
    const n = this.filled;
    if (n >= this.capacity) throw new Error('DrawRecorder: capacity exceeded');
    this.draws.set(position, n * this.dim);
    const stats = this.stats;
    stats.treeDepth[n] = info.treeDepth;
    stats.nLeapfrog[n] = info.nLeapfrog;
    stats.divergent[n] = info.divergent ? 1 : 0;
    stats.energy[n] = info.energy;
    stats.acceptStat[n] = info.acceptStat;
    stats.stepSize[n] = info.stepSize;
    stats.logDensity[n] = info.logDensity;
    this.filled = n + 1;
  }
}
