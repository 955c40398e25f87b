/**
 * The replicates of `npm run sbc`, simulated from exactly the model every fit uses (Talts,
 * Betancourt, Simpson, Vehtari & Gelman 2018, "Validating Bayesian inference algorithms with
 * simulation-based calibration", Algorithm 1: theta ~ prior, y ~ likelihood given theta).
 *
 * - The design: the template (template.ts) written as CSV and read back through the same steps a
 *   batch fit takes (readCsv, buildMmmData, scaleData with the run config's scaling, designFromData,
 *   withHoldout): the media, controls, trend and seasonality the simulation uses are bit for bit the
 *   ones each fit sees. The run config scales the KPI with `"scaling": {"kpi": "none"}`, so the KPI
 *   the fit sees is the simulated one, not a rescaled copy.
 * - Parameters and KPI: Mixwell's own prior predictive (models/mmm samplePriorPredictive: every
 *   parameter of the parameter table from its prior, the linear block's tau0, v, delta, phi, gamma
 *   included; the KPI from the Normal likelihood given them), under the run config's model (the
 *   default geo MMM), one seeded stream per replicate and attempt.
 * - Rejection on the data only: the data validation refuses a negative KPI (src/data/build.ts), so
 *   a replicate whose simulated KPI has a negative cell is drawn again. A rejection rule that looks
 *   at the data alone leaves the posterior of every accepted data set unchanged, so SBC stays exact
 *   (Modrák et al. 2023, "Simulation-based calibration checking for Bayesian computation", and the
 *   SBC R package's vignette "Rejection sampling in simulations"); it restricts which part of the
 *   prior is checked (KPI >= 0 everywhere, as real data are), and the acceptance rate is recorded.
 * - Each replicate's CSV (full-precision numbers) is read back through the pipeline once more and
 *   its media, controls and KPI compared bit for bit with what was simulated: a mismatch is an error.
 * - The true values of every scalar parameter (reference names, e.g. u[2,3], tau0, phi[4]) and the
 *   KPI's log-likelihood at them (a test quantity that depends on the data: Modrák et al. 2023,
 *   section 2) are kept next to the data.
 */
import { kpiLogLikelihood } from '../../src/analysis/index.js';
import { buildMmmData, readCsv, scaleData } from '../../src/data/index.js';
import type { RunConfig } from '../../src/mmm/config.js';
import { Posterior } from '../../src/ppl/index.js';
import { designDims, designFromData, samplePriorPredictive, withHoldout, type MmmDesign } from '../../models/mmm/index.js';
import { templateCsv, type Template } from './template.js';

/** The name of the log-likelihood test quantity. */
export const LOG_LIK = 'log_lik';
/** Attempts per replicate before giving up (the acceptance rate of the default model is about 1 in 6). */
const MAX_ATTEMPTS = 1000;

export interface Replicate {
  /** r001, r002, ... */
  readonly id: string;
  readonly index: number;
  /** The prior predictive seed of the accepted draw. */
  readonly seed: string;
  /** Draws until one was accepted (1: the first). */
  readonly attempts: number;
  /** True value of every scalar parameter, and of the log-likelihood (LOG_LIK). */
  readonly truth: Readonly<Record<string, number>>;
  /** Simulated KPI [G, T] (geo-major), in the model's units. */
  readonly kpi: Float64Array;
  /** The replicate's data file. */
  readonly csv: string;
}

export interface Simulation {
  /** The design every replicate is simulated on and fitted to. */
  readonly design: MmmDesign;
  readonly replicates: readonly Replicate[];
  /** Scalar parameters in the parameter table's order (the quantities ranked, with LOG_LIK). */
  readonly parameters: readonly string[];
  /** Largest |pipeline - template| over media and controls: the rescaling is the identity up to this. */
  readonly rescalingDifference: { readonly media: number; readonly controls: number };
}

/** The design the pipeline builds from a CSV text, with the steps of a batch fit (src/batch/runFit.ts, src/mmm/fit.ts). */
export function pipelineDesign(csv: string, config: RunConfig, fileName: string): MmmDesign {
  const data = buildMmmData(readCsv(csv, { fileName }), config.data, { impute: config.impute });
  const scaled = scaleData(data, { populationScaling: config.scaling.populationScaling, kpi: config.scaling.kpi });
  return withHoldout(designFromData(data, scaled), config.holdout.periods);
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** Simulate `count` replicates (module comment); `seed` names their random streams. */
export function simulateReplicates(template: Template, config: RunConfig, count: number, seed: number): Simulation {
  if (config.scaling.kpi !== 'none') throw new Error('sbc: the run config must leave the KPI unscaled ("scaling": {"kpi": "none"}), or the fit would see a rescaled KPI');
  const { geos: G, periods: T } = template.size;
  const placeholder = Float64Array.from({ length: G * T }, (_, n) => 1 + n / (G * T));
  const design = pipelineDesign(templateCsv(template, placeholder), config, 'sbc-template.csv');
  if (designDims(design).geos !== G || designDims(design).periods !== T) throw new Error('sbc: the template did not read back with its own size');
  const rescalingDifference = { media: maxDifference(design.media, template.media), controls: maxDifference(design.controls, template.controls) };
  const replicates: Replicate[] = [];
  let parameters: string[] = [];
  for (let index = 0; index < count; index++) {
    const id = `r${String(index + 1).padStart(3, '0')}`;
    for (let attempt = 1; ; attempt++) {
      if (attempt > MAX_ATTEMPTS) throw new Error(`sbc: replicate ${id}: ${MAX_ATTEMPTS} prior predictive draws, all with a negative KPI somewhere`);
      const drawSeed = `sbc:${seed}:${id}:${attempt}`;
      const prior = samplePriorPredictive(design, config.model, { draws: 1, seed: drawSeed });
      const kpi = Float64Array.from(prior.variable('y_rep').values);
      if (kpi.some((y) => y < 0)) continue;
      parameters = prior.scalarNames('parameter');
      const truth: Record<string, number> = {};
      for (const name of parameters) truth[name] = prior.pooled(name)[0];
      const data: MmmDesign = { ...design, kpi };
      const parameterDraw = new Posterior(1, 1, prior.variables.filter((v) => v.kind === 'parameter'));
      const pointwise = kpiLogLikelihood(data, config.model, parameterDraw).fitted.matrix.values;
      let logLik = 0;
      for (let o = 0; o < pointwise.length; o++) logLik += pointwise[o];
      truth[LOG_LIK] = logLik;
      const csv = templateCsv(template, kpi);
      const readBack = pipelineDesign(csv, config, `${id}.csv`);
      if (!sameBits(readBack.media, design.media) || !sameBits(readBack.controls, design.controls) || !sameBits(readBack.kpi, kpi)) {
        throw new Error(`sbc: replicate ${id}: the data read back from its CSV differ from the simulated data (media, controls or KPI not bit for bit equal)`);
      }
      replicates.push({ id, index, seed: drawSeed, attempts: attempt, truth, kpi, csv });
      break;
    }
  }
  return { design, replicates, parameters, rescalingDifference };
}
