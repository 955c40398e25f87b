/**
 * The posteriordb pass rule (src/conformance/) on constructed numbers, no sampling: the mean and sd
 * criteria at and around their thresholds, the sd tolerance clamp, health (R-hat, ESS, divergences),
 * the match_or_flag logic, the engine summary (capped-ESS MCSEs) and the reference parser.
 */
import { describe, expect, it } from 'vitest';
import {
  checkQuantity,
  engineQuantity,
  judgePosterior,
  parseReference,
  worstMean,
  worstSd,
  type EngineQuantity,
  type ReferenceQuantity,
} from '../src/conformance/index.js';
import { essBasic, mcseMean, pooledSd } from '../src/diagnostics/index.js';
import { createRng } from '../src/tensor/index.js';

const reference: ReferenceQuantity = { mean: 10, sd: 2, mcseMean: 0.02, mcseSd: 0.015 };

function engine(overrides: Partial<EngineQuantity> = {}): EngineQuantity {
  return { mean: 10, sd: 2, rhat: 1.001, ess: 2000, mcseMean: 0.04, mcseSd: 0.03, draws: 4000, ...overrides };
}

describe('checkQuantity', () => {
  it('accepts a mean within 5 combined MCSEs and rejects one just outside', () => {
    const combined = Math.hypot(0.04, 0.02);
    const inside = checkQuantity('x', engine({ mean: 10 + 4.99 * combined }), reference);
    expect(inside.meanZ).toBeCloseTo(4.99, 10);
    expect(inside.meanOk).toBe(true);
    const outside = checkQuantity('x', engine({ mean: 10 - 5.01 * combined }), reference);
    expect(outside.meanZ).toBeCloseTo(5.01, 10);
    expect(outside.meanOk).toBe(false);
  });

  it('sd tolerance is 5 combined MCSEs of the sd relative to the reference sd, clamped to [5%, 20%]', () => {
    // 5 hypot(0.03, 0.015) / 2 = 0.0839: inside the clamp.
    const middle = checkQuantity('x', engine({ sd: 2 * 1.08 }), reference);
    expect(middle.sdTolerance).toBeCloseTo((5 * Math.hypot(0.03, 0.015)) / 2, 12);
    expect(middle.sdDeviation).toBeCloseTo(0.08, 12);
    expect(middle.sdOk).toBe(true);
    expect(checkQuantity('x', engine({ sd: 2 * 0.91 }), reference).sdOk).toBe(false);
    // Tiny MCSEs: the 5% floor applies.
    const precise = checkQuantity('x', engine({ sd: 2 * 1.045, mcseSd: 0.001 }), { ...reference, mcseSd: 0.001 });
    expect(precise.sdTolerance).toBe(0.05);
    expect(precise.sdOk).toBe(true);
    expect(checkQuantity('x', engine({ sd: 2 * 1.055, mcseSd: 0.001 }), { ...reference, mcseSd: 0.001 }).sdOk).toBe(false);
    // Huge MCSEs: capped at 20%.
    const noisy = checkQuantity('x', engine({ sd: 2 * 0.81, mcseSd: 1 }), reference);
    expect(noisy.sdTolerance).toBe(0.2);
    expect(noisy.sdOk).toBe(true);
    expect(checkQuantity('x', engine({ sd: 2 * 0.79, mcseSd: 1 }), reference).sdOk).toBe(false);
  });

  it('health: R-hat <= 1.01 and ESS >= 400, NaN failing both', () => {
    expect(checkQuantity('x', engine({ rhat: 1.01, ess: 400 }), reference).healthOk).toBe(true);
    expect(checkQuantity('x', engine({ rhat: 1.0101 }), reference).rhatOk).toBe(false);
    expect(checkQuantity('x', engine({ ess: 399.9 }), reference).essOk).toBe(false);
    const degenerate = checkQuantity('x', engine({ rhat: NaN, ess: NaN }), reference);
    expect(degenerate.rhatOk || degenerate.essOk).toBe(false);
  });
});

describe('judgePosterior', () => {
  const good = [checkQuantity('a', engine(), reference), checkQuantity('b', engine({ mean: 10.1 }), reference)];
  const biased = [checkQuantity('a', engine(), reference), checkQuantity('b', engine({ mean: 11 }), reference)];

  it('must_match passes only when every check holds', () => {
    expect(judgePosterior('must_match', good, 0, 4000).verdict).toBe('PASS');
    const fail = judgePosterior('must_match', biased, 0, 4000);
    expect(fail.verdict).toBe('FAIL');
    expect(fail.passed).toBe(false);
    expect(fail.reasons.join('\n')).toContain('b: mean');
  });

  it('divergences: up to 1% of the kept draws', () => {
    expect(judgePosterior('must_match', good, 40, 4000).verdict).toBe('PASS');
    const tooMany = judgePosterior('must_match', good, 41, 4000);
    expect(tooMany.verdict).toBe('FAIL');
    expect(tooMany.divergencesOk).toBe(false);
  });

  it('match_or_flag: a biased run passes as FLAGGED only when the engine flagged it', () => {
    expect(judgePosterior('match_or_flag', good, 0, 4000).verdict).toBe('PASS');
    // Any divergence flags the run, even below the 1% limit.
    expect(judgePosterior('match_or_flag', biased, 1, 4000).verdict).toBe('FLAGGED');
    const lowEss = [checkQuantity('a', engine({ ess: 350 }), reference), biased[1]];
    expect(judgePosterior('match_or_flag', lowEss, 0, 4000).verdict).toBe('FLAGGED');
    const highRhat = [checkQuantity('a', engine({ rhat: 1.05 }), reference), biased[1]];
    expect(judgePosterior('match_or_flag', highRhat, 0, 4000).verdict).toBe('FLAGGED');
    // Biased with every diagnostic clean: the failure the test exists to catch.
    const silent = judgePosterior('match_or_flag', biased, 0, 4000);
    expect(silent.verdict).toBe('FAIL');
    expect(silent.flagged).toBe(false);
    // A flagged run that still matches is a PASS.
    expect(judgePosterior('match_or_flag', good, 3, 4000).verdict).toBe('PASS');
  });

  it('worst quantities by mean z and by share of the sd tolerance', () => {
    const checks = [
      checkQuantity('a', engine({ mean: 10.05, sd: 2.15 }), reference),
      checkQuantity('b', engine({ mean: 10.2, sd: 2.02 }), reference),
    ];
    expect(worstMean(checks)?.name).toBe('b');
    expect(worstSd(checks)?.name).toBe('a');
  });
});

describe('engineQuantity', () => {
  it('uses split-chain ESS of the raw draws, capped at N for the MCSE', () => {
    const rng = createRng(3, 'antithetic');
    // Antithetic chains (x, -x, x, ...) have ESS > N: the MCSE then uses N.
    const chains = Array.from({ length: 4 }, () => {
      const out = new Float64Array(500);
      for (let i = 0; i < out.length; i += 2) {
        const v = rng.normal();
        out[i] = v;
        out[i + 1] = -v + 0.1 * rng.normal();
      }
      return out;
    });
    const summary = engineQuantity(chains);
    expect(summary.draws).toBe(2000);
    expect(summary.ess).toBeCloseTo(essBasic(chains), 10);
    expect(summary.ess).toBeGreaterThan(2000);
    expect(summary.mcseMean).toBeCloseTo(pooledSd(chains) / Math.sqrt(2000), 12);
    expect(summary.mcseMean).toBeGreaterThan(mcseMean(chains));
    expect(summary.rhat).toBeLessThan(1.01);
  });
});

describe('parseReference', () => {
  const json = {
    posterior: 'p',
    test_role: 'must_match',
    unconstrained_dimension: 2,
    suggested_engine_settings: { chains: 4, warmup: 1000, draws_per_chain: 1000, adapt_delta: 0.9, max_treedepth: 12, metric: 'dense recommended' },
    parameter_names: ['a', 'b[1]'],
    parameters: {
      a: { mean: 1, sd: 2, mcse_mean: 0.02, mcse_sd: 0.01, source: 'draws' },
      'b[1]': { mean: 0, sd: 1, mcse_mean: 0.01, mcse_sd: 0.007, source: 'derived' },
    },
  };

  it('reads names, statistics and suggested settings', () => {
    const parsed = parseReference(json);
    expect(parsed.names).toEqual(['a', 'b[1]']);
    expect(parsed.quantities['b[1]']).toEqual({ mean: 0, sd: 1, mcseMean: 0.01, mcseSd: 0.007, source: 'derived' });
    expect(parsed.settings).toEqual({ chains: 4, warmup: 1000, draws: 1000, adaptDelta: 0.9, maxTreeDepth: 12, metric: 'dense' });
  });

  it('rejects unknown roles and missing statistics', () => {
    expect(() => parseReference({ ...json, test_role: 'maybe' })).toThrow(/test_role/);
    expect(() => parseReference({ ...json, parameter_names: ['a', 'c'] })).toThrow(/"c"/);
  });
});
