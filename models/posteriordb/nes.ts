/**
 * posteriordb `nes2000-nes`: normal linear regression of party identification on ideology, race,
 * age-group dummies, education, gender and income (Gelman & Hill 2007, ch. 4), flat priors on
 * beta[1..9] and on sigma > 0 (../shared/posteriordb/nes2000-nes/model.md).
 */
import { positive } from '../../src/bijectors/index.js';
import { defineModel, type ModelDefinition } from '../../src/ppl/index.js';
import { tf, type Tensor2D } from '../../src/tensor/index.js';
import { float32, integerField, lazyTensors, vectorField, type PosteriorData } from './data.js';
import { normalLogLikelihood } from './normalLikelihood.js';

/** The 9 columns of the design (intercept, ideology, race, age 2/3/4, education, gender, income), column-major [9, N]. */
export function nesDesign(data: PosteriorData): { rows: number; columns: number; transposed: Float64Array } {
  const N = integerField(data, 'N');
  const fields = ['real_ideo', 'race_adj', 'age_discrete', 'educ1', 'gender', 'income'].map((f) => vectorField(data, f, N));
  const [ideology, race, age, education, gender, income] = fields;
  const columns = 9;
  const transposed = new Float64Array(columns * N);
  for (let n = 0; n < N; n++) {
    const row = [1, ideology[n], race[n], age[n] === 2 ? 1 : 0, age[n] === 3 ? 1 : 0, age[n] === 4 ? 1 : 0, education[n], gender[n], income[n]];
    row.forEach((value, k) => (transposed[k * N + n] = value));
  }
  return { rows: N, columns, transposed };
}

export function nes(data: PosteriorData): ModelDefinition {
  const { rows: N, columns, transposed } = nesDesign(data);
  const y = vectorField(data, 'partyid7', N);
  const constants = lazyTensors(() => ({ design: tf.tensor2d(float32(transposed), [columns, N]), y: tf.tensor2d(float32(y), [1, N]) }));
  return defineModel({
    name: 'nes2000-nes',
    parameters: {
      beta: { shape: [columns] },
      sigma: { constraint: positive() },
    },
    logDensity: ({ beta, sigma }) => {
      const { design, y: observed } = constants.get();
      return normalLogLikelihood(observed, tf.matMul(beta as Tensor2D, design), sigma);
    },
    dispose: () => constants.dispose(),
  });
}
