/**
 * Geo intercepts: tau_g = tau0 + sigma_tau v[g] (non-centered, the reference model), tau[g] ~
 * N(tau0, sigma_tau) sampled directly (centered), fixed effects around a baseline geo (Meridian's
 * geo intercepts, its `baseline_geo`: tau_baseline = tau0, tau_g = tau0 + tau_offset_g for the
 * others, tau_offset_g with independent priors, no sigma_tau), or tau0 alone with one geo. Here: the
 * parameters, the baseline geo, the float64 reference per draw (`interceptHost`) and the kernel
 * block: forward tau_g, backward from the per-geo sums of the mean's bar (geoBar): tau0 bar =
 * sum_g geoBar, v bar_g = sigma_tau geoBar_g, sigma_tau bar = sum_g geoBar_g v_g; centered: tau bar_g
 * = geoBar_g; fixed: tau0 bar = sum_g geoBar_g, tau_offset bar = geoBar of its geo.
 */
import type { MmmModelConfig } from '../config.js';
import type { MmmDesign } from '../design.js';
import type { KernelParameters } from '../kernel/parameters.js';
import type { DrawValues } from './coefficients.js';
import { POSITIVE, REAL, type MmmParameter, type PriorDeclaration } from './types.js';

export const INTERCEPT_PRIORS: readonly PriorDeclaration[] = [
  { name: 'tau0', description: 'mean geo intercept (scaled KPI); with fixed intercepts the baseline geo\'s', support: REAL, defaultPrior: { dist: 'normal', loc: 0.5, scale: 0.5 } },
  { name: 'sigma_tau', description: 'geo sd of the intercepts', support: POSITIVE, defaultPrior: { dist: 'halfNormal', scale: 0.3 } },
  { name: 'tau_offset', description: 'fixed intercepts: geo intercept minus the baseline geo\'s, per non-baseline geo', support: REAL, defaultPrior: { dist: 'normal', loc: 0, scale: 1 } },
];

/** Whether the geo intercepts are fixed effects around a baseline geo (more than one geo, intercept 'fixed'). */
export function fixedIntercepts(design: MmmDesign, config: MmmModelConfig): boolean {
  return design.geoNames.length > 1 && config.geo.intercept === 'fixed';
}

/**
 * Index of the baseline geo of fixed intercepts: config.geo.baselineGeo by name, else the geo with
 * the largest population (the first of equals), else the first geo.
 */
export function baselineGeoIndex(design: MmmDesign, config: MmmModelConfig): number {
  const name = config.geo.baselineGeo;
  if (name !== undefined) {
    const index = design.geoNames.indexOf(name);
    if (index < 0) throw new Error(`model config: model.geo.baselineGeo: unknown geo "${name}" (geos: ${design.geoNames.join(', ')})`);
    return index;
  }
  const population = design.geoPopulation ?? design.population;
  if (!population) return 0;
  let best = 0;
  for (let g = 1; g < population.length; g++) if (population[g] > population[best]) best = g;
  return best;
}

/** The geos with an offset under fixed intercepts (every geo but the baseline, in data order). */
export function offsetGeos(design: MmmDesign, config: MmmModelConfig): number[] {
  const baseline = baselineGeoIndex(design, config);
  return design.geoNames.map((_, g) => g).filter((g) => g !== baseline);
}

export function interceptParameters(design: MmmDesign, config: MmmModelConfig, prior: (name: string) => MmmParameter['prior']): MmmParameter[] {
  const G = design.geoNames.length;
  const fixed = fixedIntercepts(design, config);
  const rows: MmmParameter[] = [
    { name: 'tau0', shape: [], support: REAL, prior: prior('tau0'), elementNames: ['tau0'], component: 'intercepts', description: fixed ? 'baseline geo intercept' : 'mean geo intercept' },
  ];
  if (fixed) {
    const geos = offsetGeos(design, config);
    rows.push({ name: 'tau_offset', shape: [geos.length], support: REAL, prior: prior('tau_offset'), elementNames: geos.map((g) => design.geoNames[g]), component: 'intercepts', description: 'geo intercept minus the baseline geo\'s' });
  } else if (G > 1) {
    rows.push({ name: 'sigma_tau', shape: [], support: POSITIVE, prior: prior('sigma_tau'), elementNames: ['sigma_tau'], component: 'intercepts', description: 'geo sd of the intercepts' });
    if (config.geo.intercept === 'centered') {
      rows.push({ name: 'tau', shape: [G], support: REAL, prior: { kind: 'hierarchical', loc: 'tau0', scale: 'sigma_tau', locIndex: new Int32Array(G) }, elementNames: design.geoNames, component: 'intercepts', description: 'geo intercept (centered)' });
    } else {
      rows.push({ name: 'v', shape: [G], support: REAL, prior: { kind: 'standardNormal' }, elementNames: design.geoNames, component: 'intercepts', description: 'standardized geo intercept' });
    }
  }
  return rows;
}

/**
 * tau_g of one draw, float64. Fixed intercepts: the offsets are in data order without the baseline,
 * so geo g's offset is tau_offset[g] before the baseline and tau_offset[g - 1] after it.
 */
export function interceptHost(design: MmmDesign, config: MmmModelConfig, values: DrawValues, g: number): number {
  const G = design.geoNames.length;
  if (G === 1) return values.tau0[0];
  if (config.geo.intercept === 'fixed') {
    const baseline = baselineGeoIndex(design, config);
    return g === baseline ? values.tau0[0] : values.tau0[0] + values.tau_offset[g < baseline ? g : g - 1];
  }
  return config.geo.intercept === 'centered' ? values.tau[g] : values.tau0[0] + values.sigma_tau[0] * values.v[g];
}

export class InterceptsBlock {
  private readonly iTau0: number;
  private readonly iSigmaTau: number;
  private readonly iTau: number;
  private readonly iV: number;
  private readonly iOffset: number;
  private readonly hierarchical: boolean;
  private readonly centered: boolean;
  /** Fixed intercepts: geo -> its offset's index, -1 for the baseline (empty otherwise). */
  private readonly offsetOf: Int32Array;

  constructor(design: MmmDesign, config: MmmModelConfig, private readonly params: KernelParameters, private readonly geos: number) {
    const fixed = fixedIntercepts(design, config);
    this.hierarchical = geos > 1 && !fixed;
    this.centered = this.hierarchical && config.geo.intercept === 'centered';
    this.iTau0 = params.indexOf('tau0');
    this.iSigmaTau = params.indexOf('sigma_tau');
    this.iTau = params.indexOf('tau');
    this.iV = params.indexOf('v');
    this.iOffset = params.indexOf('tau_offset');
    this.offsetOf = new Int32Array(fixed ? geos : 0).fill(-1);
    if (fixed) offsetGeos(design, config).forEach((g, k) => (this.offsetOf[g] = k));
  }

  /** tau_g of chain b. */
  value(b: number, g: number): number {
    const p = this.params;
    if (this.offsetOf.length > 0) {
      const k = this.offsetOf[g];
      return k < 0 ? p.value(this.iTau0, b, 0) : p.value(this.iTau0, b, 0) + p.value(this.iOffset, b, k);
    }
    if (!this.hierarchical) return p.value(this.iTau0, b, 0);
    if (this.centered) return p.value(this.iTau, b, g);
    return p.value(this.iTau0, b, 0) + p.value(this.iSigmaTau, b, 0) * p.value(this.iV, b, g);
  }

  /** Gradients of chain b from geoBar[g] = sum_t d/d mu[g,t]. */
  backward(b: number, geoBar: Float64Array): void {
    const p = this.params;
    const grad = p.grad;
    if (this.offsetOf.length > 0) {
      let tau0Bar = 0;
      for (let g = 0; g < this.geos; g++) {
        tau0Bar += geoBar[g];
        const k = this.offsetOf[g];
        if (k >= 0) grad[p.at(this.iOffset, b, k)] = geoBar[g];
      }
      grad[p.at(this.iTau0, b, 0)] = tau0Bar;
    } else if (!this.hierarchical) grad[p.at(this.iTau0, b, 0)] = geoBar[0];
    else if (this.centered) for (let g = 0; g < this.geos; g++) grad[p.at(this.iTau, b, g)] = geoBar[g];
    else {
      const sigmaTau = p.value(this.iSigmaTau, b, 0);
      let tau0Bar = 0;
      let sigmaTauBar = 0;
      for (let g = 0; g < this.geos; g++) {
        tau0Bar += geoBar[g];
        sigmaTauBar += geoBar[g] * p.value(this.iV, b, g);
        grad[p.at(this.iV, b, g)] = sigmaTau * geoBar[g];
      }
      grad[p.at(this.iTau0, b, 0)] = tau0Bar;
      grad[p.at(this.iSigmaTau, b, 0)] = sigmaTauBar;
    }
  }
}
