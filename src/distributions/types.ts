/**
 * The distribution interface: a log density on tensors. Parameters are tensors or numbers and
 * broadcast against the value with the usual tfjs rules; the chain axis is the leading axis of
 * whatever parameter tensors carry it. Log densities are normalized (constants included), so they
 * can be checked against closed forms and used for pointwise log-likelihoods.
 */
import type { Rng, Tensor } from '../tensor/index.js';

export type Param = Tensor | number;

export interface Distribution {
  readonly name: string;
  /**
   * Elementwise log density for univariate distributions; for multivariate ones the last axis
   * (or last axes) is the event and is reduced away.
   */
  logProb(value: Tensor): Tensor;
}

/** A distribution with constant (number) parameters that can be sampled on the host. */
export interface SampleableDistribution extends Distribution {
  /** `count` independent draws (float64, host). */
  sample(rng: Rng, count: number): Float64Array;
}
