/**
 * Geo intercepts: tau_g = tau0 + sigma_tau v[g] (non-centered, the reference model), tau[g] ~
 * N(tau0, sigma_tau) sampled directly (centered), or tau0 alone with one geo. Here: the parameters,
 * the float64 reference per draw (`interceptHost`) and the kernel block: forward tau_g, backward from
 * the per-geo sums of the mean's bar (geoBar): tau0 bar = sum_g geoBar, v bar_g = sigma_tau geoBar_g,
 * sigma_tau bar = sum_g geoBar_g v_g; centered: tau bar_g = geoBar_g.
 */
import type { MmmModelConfig } from '../config.js';
import type { MmmDesign } from '../design.js';
import type { KernelParameters } from '../kernel/parameters.js';
import type { DrawValues } from './coefficients.js';
import { POSITIVE, REAL, type MmmParameter, type PriorDeclaration } from './types.js';

export const INTERCEPT_PRIORS: readonly PriorDeclaration[] = [
  { name: 'tau0', description: 'mean geo intercept (scaled KPI)', support: REAL, defaultPrior: { dist: 'normal', loc: 0.5, scale: 0.5 } },
  { name: 'sigma_tau', description: 'geo sd of the intercepts', support: POSITIVE, defaultPrior: { dist: 'halfNormal', scale: 0.3 } },
];

export function interceptParameters(design: MmmDesign, config: MmmModelConfig, prior: (name: string) => MmmParameter['prior']): MmmParameter[] {
  const G = design.geoNames.length;
  const rows: MmmParameter[] = [{ name: 'tau0', shape: [], support: REAL, prior: prior('tau0'), elementNames: ['tau0'], component: 'intercepts', description: 'mean geo intercept' }];
  if (G > 1) {
    rows.push({ name: 'sigma_tau', shape: [], support: POSITIVE, prior: prior('sigma_tau'), elementNames: ['sigma_tau'], component: 'intercepts', description: 'geo sd of the intercepts' });
    if (config.geo.intercept === 'centered') {
      rows.push({ name: 'tau', shape: [G], support: REAL, prior: { kind: 'hierarchical', loc: 'tau0', scale: 'sigma_tau', locIndex: new Int32Array(G) }, elementNames: design.geoNames, component: 'intercepts', description: 'geo intercept (centered)' });
    } else {
      rows.push({ name: 'v', shape: [G], support: REAL, prior: { kind: 'standardNormal' }, elementNames: design.geoNames, component: 'intercepts', description: 'standardized geo intercept' });
    }
  }
  return rows;
}

/** tau_g of one draw, float64. */
export function interceptHost(config: MmmModelConfig, geos: number, values: DrawValues, g: number): number {
  if (geos === 1) return values.tau0[0];
  return config.geo.intercept === 'centered' ? values.tau[g] : values.tau0[0] + values.sigma_tau[0] * values.v[g];
}

export class InterceptsBlock {
  private readonly iTau0: number;
  private readonly iSigmaTau: number;
  private readonly iTau: number;
  private readonly iV: number;
  private readonly hierarchical: boolean;
  private readonly centered: boolean;

  constructor(config: MmmModelConfig, private readonly params: KernelParameters, private readonly geos: number) {
    this.hierarchical = geos > 1;
    this.centered = this.hierarchical && config.geo.intercept === 'centered';
    this.iTau0 = params.indexOf('tau0');
    this.iSigmaTau = params.indexOf('sigma_tau');
    this.iTau = params.indexOf('tau');
    this.iV = params.indexOf('v');
  }

  /** tau_g of chain b. */
  value(b: number, g: number): number {
    const p = this.params;
    if (!this.hierarchical) return p.value(this.iTau0, b, 0);
    if (this.centered) return p.value(this.iTau, b, g);
    return p.value(this.iTau0, b, 0) + p.value(this.iSigmaTau, b, 0) * p.value(this.iV, b, g);
  }

  /** Gradients of chain b from geoBar[g] = sum_t d/d mu[g,t]. */
  backward(b: number, geoBar: Float64Array): void {
    const p = this.params;
    const grad = p.grad;
    if (!this.hierarchical) grad[p.at(this.iTau0, b, 0)] = geoBar[0];
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
