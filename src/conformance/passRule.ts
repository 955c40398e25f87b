/**
 * The posteriordb conformance pass rule (../shared/posteriordb/README.md, "Pass rule for a
 * conformance test"), as pure functions of engine draws and reference summaries. Per quantity:
 *
 *   meanOk   = |m_e - m_r| <= 5 hypot(mcse_e, mcse_r)
 *   sdTol    = min(0.20, max(0.05, 5 hypot(mcseSd_e, mcseSd_r) / s_r)),  sdOk = |s_e / s_r - 1| <= sdTol
 *   healthOk = split R-hat <= 1.01 and ESS >= 400
 *
 * plus divergent transitions <= 1% of the kept draws per run. ESS is the split-chain
 * autocorrelation ESS of the raw draws (`essBasic`; Vehtari et al. 2021, section 3.2) and the MCSEs
 * use min(ESS, N) (`capEssAtDraws`), as the reference does. A `must_match` posterior passes when
 * every check holds; a `match_or_flag` posterior also passes (as FLAGGED) when the engine flagged
 * the run itself: any divergence, any R-hat > 1.01 or any ESS < 400.
 */
import { essBasic, mcseMean, mcseSd, pooledMean, pooledSd, rhatBasic, totalDraws, type ChainDraws } from '../diagnostics/index.js';

export interface PassRule {
  /** Allowed mean error in combined Monte Carlo standard errors. */
  readonly meanSigmas: number;
  /** SD tolerance: this many combined MCSEs of the sd, relative to the reference sd... */
  readonly sdSigmas: number;
  /** ...clamped to [sdToleranceFloor, sdToleranceCap]. */
  readonly sdToleranceFloor: number;
  readonly sdToleranceCap: number;
  readonly maxRhat: number;
  readonly minEss: number;
  /** Divergent transitions allowed, as a fraction of the kept draws. */
  readonly maxDivergenceFraction: number;
}

export const POSTERIORDB_RULE: PassRule = {
  meanSigmas: 5,
  sdSigmas: 5,
  sdToleranceFloor: 0.05,
  sdToleranceCap: 0.2,
  maxRhat: 1.01,
  minEss: 400,
  maxDivergenceFraction: 0.01,
};

/** Reference summary of one quantity (reference.json: mean, sd, mcse_mean, mcse_sd). */
export interface ReferenceQuantity {
  readonly mean: number;
  readonly sd: number;
  readonly mcseMean: number;
  readonly mcseSd: number;
}

/** Engine summary of one quantity, by the README's method. */
export interface EngineQuantity {
  readonly mean: number;
  readonly sd: number;
  /** Split R-hat of the raw draws. */
  readonly rhat: number;
  /** Split-chain ESS of the raw draws (uncapped). */
  readonly ess: number;
  /** sd / sqrt(min(ESS, N)). */
  readonly mcseMean: number;
  /** Delta-method MCSE of the sd with min(ESS(z), N). */
  readonly mcseSd: number;
  /** N, the total number of draws. */
  readonly draws: number;
}

export function engineQuantity(chains: ChainDraws): EngineQuantity {
  return {
    mean: pooledMean(chains),
    sd: pooledSd(chains),
    rhat: rhatBasic(chains),
    ess: essBasic(chains),
    mcseMean: mcseMean(chains, { capEssAtDraws: true }),
    mcseSd: mcseSd(chains, { capEssAtDraws: true }),
    draws: totalDraws(chains),
  };
}

export interface QuantityCheck {
  readonly name: string;
  readonly engine: EngineQuantity;
  readonly reference: ReferenceQuantity;
  /** |m_e - m_r| / hypot(mcse_e, mcse_r). */
  readonly meanZ: number;
  readonly meanOk: boolean;
  readonly sdRatio: number;
  /** |s_e / s_r - 1|. */
  readonly sdDeviation: number;
  readonly sdTolerance: number;
  readonly sdOk: boolean;
  readonly rhatOk: boolean;
  readonly essOk: boolean;
  readonly healthOk: boolean;
}

/** |a - b| / scale with 0 / 0 = 0 (identical constants) and NaN for non-finite input. */
function standardized(difference: number, scale: number): number {
  if (!Number.isFinite(difference) || !Number.isFinite(scale)) return NaN;
  if (difference === 0) return 0;
  return scale > 0 ? difference / scale : Infinity;
}

export function checkQuantity(name: string, engine: EngineQuantity, reference: ReferenceQuantity, rule: PassRule = POSTERIORDB_RULE): QuantityCheck {
  const meanZ = standardized(Math.abs(engine.mean - reference.mean), Math.hypot(engine.mcseMean, reference.mcseMean));
  const sdRatio = engine.sd / reference.sd;
  const sdDeviation = Math.abs(sdRatio - 1);
  const statistical = (rule.sdSigmas * Math.hypot(engine.mcseSd, reference.mcseSd)) / reference.sd;
  const sdTolerance = Math.min(rule.sdToleranceCap, Math.max(rule.sdToleranceFloor, Number.isFinite(statistical) ? statistical : rule.sdToleranceCap));
  const rhatOk = engine.rhat <= rule.maxRhat; // false for NaN
  const essOk = engine.ess >= rule.minEss;
  return {
    name,
    engine,
    reference,
    meanZ,
    meanOk: meanZ <= rule.meanSigmas,
    sdRatio,
    sdDeviation,
    sdTolerance,
    sdOk: sdDeviation <= sdTolerance,
    rhatOk,
    essOk,
    healthOk: rhatOk && essOk,
  };
}

export type TestRole = 'must_match' | 'match_or_flag';
export type Verdict = 'PASS' | 'FAIL' | 'FLAGGED';

export interface PosteriorVerdict {
  readonly verdict: Verdict;
  /** PASS, or FLAGGED on a match_or_flag posterior. */
  readonly passed: boolean;
  /** Rules 1-3 for every quantity and the divergence limit. */
  readonly matched: boolean;
  readonly healthOk: boolean;
  readonly meansOk: boolean;
  readonly sdsOk: boolean;
  readonly divergencesOk: boolean;
  /** The engine's own warning: any divergence, any R-hat above the limit or any ESS below it. */
  readonly flagged: boolean;
  /** Human-readable reasons for every failed check. */
  readonly reasons: readonly string[];
}

export function judgePosterior(
  role: TestRole,
  checks: readonly QuantityCheck[],
  divergences: number,
  keptDraws: number,
  rule: PassRule = POSTERIORDB_RULE,
): PosteriorVerdict {
  const reasons: string[] = [];
  const divergencesOk = divergences <= rule.maxDivergenceFraction * keptDraws;
  if (!divergencesOk) reasons.push(`${divergences} divergences > ${rule.maxDivergenceFraction * 100}% of ${keptDraws} draws`);
  for (const c of checks) {
    if (!c.rhatOk) reasons.push(`${c.name}: R-hat ${c.engine.rhat.toFixed(3)} > ${rule.maxRhat}`);
    if (!c.essOk) reasons.push(`${c.name}: ESS ${c.engine.ess.toFixed(0)} < ${rule.minEss}`);
    if (!c.meanOk) reasons.push(`${c.name}: mean ${c.engine.mean.toPrecision(5)} vs ${c.reference.mean.toPrecision(5)} (z = ${c.meanZ.toFixed(2)})`);
    if (!c.sdOk) reasons.push(`${c.name}: sd ratio ${c.sdRatio.toFixed(3)}, |ratio - 1| ${c.sdDeviation.toFixed(3)} > ${c.sdTolerance.toFixed(3)}`);
  }
  const healthOk = checks.every((c) => c.healthOk) && divergencesOk;
  const meansOk = checks.every((c) => c.meanOk);
  const sdsOk = checks.every((c) => c.sdOk);
  const matched = healthOk && meansOk && sdsOk;
  const flagged = divergences > 0 || checks.some((c) => !c.rhatOk || !c.essOk);
  let verdict: Verdict;
  if (matched) verdict = 'PASS';
  else if (role === 'match_or_flag' && flagged) verdict = 'FLAGGED';
  else verdict = 'FAIL';
  return { verdict, passed: verdict !== 'FAIL', matched, healthOk, meansOk, sdsOk, divergencesOk, flagged, reasons };
}

/** The quantity with the largest mean z-score (NaN counts as largest). */
export function worstMean(checks: readonly QuantityCheck[]): QuantityCheck | undefined {
  return worstBy(checks, (c) => c.meanZ);
}

/** The quantity whose sd deviation uses the largest share of its tolerance. */
export function worstSd(checks: readonly QuantityCheck[]): QuantityCheck | undefined {
  return worstBy(checks, (c) => c.sdDeviation / c.sdTolerance);
}

function worstBy(checks: readonly QuantityCheck[], score: (c: QuantityCheck) => number): QuantityCheck | undefined {
  let worst: QuantityCheck | undefined;
  let worstScore = -Infinity;
  for (const c of checks) {
    const s = score(c);
    const value = Number.isNaN(s) ? Infinity : s;
    if (worst === undefined || value > worstScore) {
      worst = c;
      worstScore = value;
    }
  }
  return worst;
}
