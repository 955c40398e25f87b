/**
 * The 11 posteriordb posteriors of the conformance suite (../shared/posteriordb/README.md) as
 * models on src/ppl: posterior name -> factory(data) -> ModelDefinition. Parameter and derived
 * quantity names follow the reference (`parameter_names` in each reference.json).
 */
import type { ModelDefinition } from '../../src/ppl/index.js';
import { arK } from './arK.js';
import { arma } from './arma.js';
import type { PosteriorData } from './data.js';
import { diamonds } from './diamonds.js';
import { eightSchoolsCentered } from './eightSchoolsCentered.js';
import { eightSchoolsNoncentered } from './eightSchoolsNoncentered.js';
import { garch } from './garch.js';
import { gpPoisRegr } from './gpPoisRegr.js';
import { hmmExample } from './hmmExample.js';
import { kidiq } from './kidiq.js';
import { lowDimGaussMix } from './lowDimGaussMix.js';
import { nes } from './nes.js';

export type { PosteriorData } from './data.js';
export type { RecursionMode, RecursionOptions } from './recursion.js';
export { arK, arma, diamonds, eightSchoolsCentered, eightSchoolsNoncentered, garch, gpPoisRegr, hmmExample, kidiq, lowDimGaussMix, nes };

export type PosteriorModelFactory = (data: PosteriorData) => ModelDefinition;

/** Factories by posteriordb posterior name (the folder names under ../shared/posteriordb). */
export const posteriordbModels: Readonly<Record<string, PosteriorModelFactory>> = {
  'eight_schools-eight_schools_noncentered': eightSchoolsNoncentered,
  'eight_schools-eight_schools_centered': eightSchoolsCentered,
  'diamonds-diamonds': diamonds,
  'nes2000-nes': nes,
  'kidiq-kidscore_interaction': kidiq,
  'garch-garch11': (data) => garch(data),
  'arK-arK': arK,
  'arma-arma11': (data) => arma(data),
  'low_dim_gauss_mix-low_dim_gauss_mix': lowDimGaussMix,
  'gp_pois_regr-gp_pois_regr': gpPoisRegr,
  'hmm_example-hmm_example': (data) => hmmExample(data),
};

/** The factory for a posterior name; throws with the known names when there is none. */
export function posteriordbModel(name: string): PosteriorModelFactory {
  const factory = posteriordbModels[name];
  if (!factory) throw new Error(`no posteriordb model "${name}"; known: ${Object.keys(posteriordbModels).join(', ')}`);
  return factory;
}
