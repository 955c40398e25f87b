/**
 * MCMC diagnostics on float64 draws, pure TypeScript (no tfjs): split and rank-normalized R-hat,
 * bulk/tail/basic ESS and MCSEs (Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021,
 * "Rank-normalization, folding, and localization: an improved R-hat"), quantiles and moments,
 * E-BFMI (Betancourt 2016), sampler health counts, a per-parameter summary table, and PSIS-LOO with
 * Pareto-k diagnostics (psis.ts, loo.ts; checked against R's `loo` 2.5.1). Checked against
 * R's `posterior` package (see tests/diagnostics.test.ts). For simulation-based calibration: the
 * rank statistic and thinning (sbcRank.ts), a chi-square test of binned ranks (rankUniformity.ts,
 * chiSquare.ts) and simultaneous ECDF bands (ecdfBand.ts, binomial.ts); tests/diagnostics.sbc.test.ts.
 */
export type { ChainDraws } from './chainDraws.js';
export {
  validateChainDraws,
  drawsPerChain,
  totalDraws,
  chainDrawsFromRowMajor,
  parameterDraws,
  pooledDraws,
  mapDraws,
  splitChains,
  isDegenerate,
} from './chainDraws.js';
export { mean, variance, sd, pooledMean, pooledVariance, pooledSd } from './moments.js';
export { quantile, quantiles, quantileOfSorted, pooledQuantiles, median, sortedCopy } from './quantile.js';
export { normalQuantile } from './normalQuantile.js';
export { averageRanks, rankNormalize, foldDraws } from './rankNormalize.js';
export { autocovariance } from './autocovariance.js';
export type { SplitOptions } from './ess.js';
export { essOfChains, essBasic, essBulk, essTail, essQuantile } from './ess.js';
export { rhatOfChains, rhatBasic, rhatBulk, rhatTail, rhat } from './rhat.js';
export type { McseOptions } from './mcse.js';
export { mcseMean, mcseSd, mcseQuantile } from './mcse.js';
export { betaQuantile, betaCdf, logGamma } from './betaQuantile.js';
export { ebfmi, ebfmiOfChain, lowEbfmiChains, EBFMI_WARNING_THRESHOLD } from './ebfmi.js';
export type { ChainCounts } from './samplerStats.js';
export { countDivergences, countTreeDepthSaturation } from './samplerStats.js';
export type { SummaryRow, DrawsSource, TableOptions } from './summary.js';
export { summarize, summarizeDraws, formatSummaryTable } from './summary.js';
export type { GeneralizedParetoFit, PsisResult, PsisOptions } from './psis.js';
export { psis, fitGeneralizedPareto, generalizedParetoQuantile, paretoKThreshold, psisTailLength, PARETO_K_BAD } from './psis.js';
export type { LogLikMatrix, LooPointwise, LooEstimates, LooResult } from './loo.js';
export { psisLoo, pointwiseLpd, sumWithSe, elpdDifference } from './loo.js';
export { pointwiseRelativeEfficiency } from './relativeEfficiency.js';
export type { DivergenceShift } from './divergenceLocation.js';
export { divergenceShifts } from './divergenceLocation.js';
export { chiSquareSurvival, upperIncompleteGammaRatio } from './chiSquare.js';
export { binomialCdf, binomialLogPmf, binomialQuantile, logFactorials } from './binomial.js';
export { rankStatistic, thinnedIndices } from './sbcRank.js';
export type { RankUniformityTest } from './rankUniformity.js';
export { rankUniformityTest } from './rankUniformity.js';
export type { EcdfBand } from './ecdfBand.js';
export { bandCoverage, ecdfBand, ecdfInBand, pointwiseBand, rankEcdfCounts } from './ecdfBand.js';
