/**
 * Seeded host-side random numbers. Every random number in Mixwell comes from here, driven by
 * seedrandom (xor4096), so the same seed gives the same stream on every machine. Each chain gets
 * its own stream derived from (seed, chain index), so a chain's draws do not depend on how many
 * other chains run beside it or on which worker runs it.
 *
 * Normal variates use the Marsaglia polar method (Marsaglia & Bray 1964); gamma variates use
 * Marsaglia & Tsang (2000).
 */
import seedrandom from 'seedrandom';

export interface Rng {
  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number;
  /** Standard normal. */
  normal(): number;
  /** The generator's whole state (plain data): `restoreRng(rng.state())` continues the same stream. */
  state(): RngState;
}

/** A stream's state: xor4096's words, its index and weyl counter, and the spare normal of the polar method. */
export interface RngState {
  readonly xor4096: { readonly X: readonly number[]; readonly i: number; readonly w: number };
  readonly spare: number | null;
}

type StatefulPrng = seedrandom.StatefulPRNG<seedrandom.State.Xor4096>;

class SeededRng implements Rng {
  private readonly source: StatefulPrng;
  private spare: number | undefined;

  constructor(seed: string, state?: RngState) {
    const saved = state ? ({ X: state.xor4096.X.slice(), i: state.xor4096.i, w: state.xor4096.w } as unknown as seedrandom.State.Xor4096) : true;
    this.source = seedrandom.xor4096(seed, { state: saved });
    if (state) this.spare = state.spare ?? undefined;
  }

  state(): RngState {
    return { xor4096: this.source.state() as unknown as RngState['xor4096'], spare: this.spare ?? null };
  }

  uniform(): number {
    return this.source.double();
  }

  normal(): number {
    if (this.spare !== undefined) {
      const value = this.spare;
      this.spare = undefined;
      return value;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.source.double() - 1;
      v = 2 * this.source.double() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * factor;
    return u * factor;
  }
}

/** A generator for a seed and a named stream (e.g. "chain:3", "init:0:retry:2"). */
export function createRng(seed: number | string, stream = 'main'): Rng {
  return new SeededRng(`mixwell:${seed}:${stream}`);
}

/** A generator that continues from a saved state (Rng.state), e.g. a checkpoint's. */
export function restoreRng(state: RngState): Rng {
  if (!Array.isArray(state?.xor4096?.X) || state.xor4096.X.length !== 128) throw new Error('restoreRng: not an xor4096 state (128 words expected)');
  return new SeededRng('', state);
}

/** Fill an array with standard normals. */
export function fillNormal(rng: Rng, out: Float64Array): Float64Array {
  for (let i = 0; i < out.length; i++) out[i] = rng.normal();
  return out;
}

/** Gamma(shape, 1) variate (Marsaglia & Tsang 2000; shape < 1 by the boost u^(1/shape)). */
export function gammaVariate(rng: Rng, shape: number): number {
  if (!(shape > 0)) throw new Error(`gammaVariate: shape must be > 0, got ${shape}`);
  if (shape < 1) return gammaVariate(rng, shape + 1) * Math.pow(rng.uniform() || Number.MIN_VALUE, 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.uniform();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}
