/**
 * Centered sampling of non-centered effects (src/ppl/centering.ts): the sampler's log density and
 * gradient in centered coordinates equal those of the same model written centered (an independent
 * model definition), the coordinate maps are inverse to each other, and bad blocks are refused.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { positive } from '../src/bijectors/index.js';
import { Normal } from '../src/distributions/index.js';
import { compile, defineModel, type CenteringBlock } from '../src/ppl/index.js';
import { initBackend, liveTensorCount, tf, type Tensor } from '../src/tensor/index.js';

// Eight schools (Rubin 1981): y_j ~ N(theta_j, sigma_j), theta_j = mu + tau z_j.
const y = [28, 8, -3, 7, -1, 1, 18, 12];
const sigma = [15, 10, 16, 11, 9, 11, 10, 18];
const J = y.length;

function likelihood(theta: Tensor): Tensor {
  return tf.sum(new Normal(tf.tensor2d([y]), tf.tensor2d([sigma])).logProb(theta), 1);
}

const nonCentered = defineModel({
  name: 'eight-schools-noncentered',
  parameters: {
    mu: { prior: new Normal(0, 5) },
    tau: { constraint: positive(), prior: new Normal(0, 5) },
    z: { shape: [J], prior: new Normal(0, 1) },
  },
  logDensity: ({ mu, tau, z }) => likelihood(tf.add(mu, tf.mul(tau, z))),
});

// Schools 1, 3 and 7 centered (0-based 0, 2, 6).
const centeredSchools = [0, 2, 6];
const block: CenteringBlock = { effect: 'z', location: 'mu', scale: 'tau', elements: centeredSchools.map((j) => ({ effect: j, location: 0, scale: 0 })) };
const partlyCentered = defineModel({ ...nonCentered, name: 'eight-schools-partly-centered', centering: [block] });

// The same model written by hand with theta_j ~ N(mu, tau) for the centered schools.
const handWritten = defineModel({
  name: 'eight-schools-hand-centered',
  parameters: {
    mu: { prior: new Normal(0, 5) },
    tau: { constraint: positive(), prior: new Normal(0, 5) },
    w: { shape: [J] },
  },
  logDensity: ({ mu, tau, w }) => {
    const isCentered = tf.tensor2d([Array.from({ length: J }, (_, j) => (centeredSchools.includes(j) ? 1 : 0))]);
    const notCentered = tf.sub(1, isCentered);
    // Centered elements: theta = w ~ N(mu, tau); the others: theta = mu + tau w, w ~ N(0, 1).
    const theta = tf.add(tf.mul(isCentered, w), tf.mul(notCentered, tf.add(mu, tf.mul(tau, w))));
    const centeredPrior = tf.sum(tf.mul(isCentered, new Normal(mu, tau).logProb(w)), 1);
    const standardPrior = tf.sum(tf.mul(notCentered, new Normal(0, 1).logProb(w)), 1);
    return [centeredPrior, standardPrior, likelihood(theta)];
  },
});

// Partial centering (weight 0.4) of schools 2 and 6 (0-based 1, 5): the sampler's coordinate is
// w = 0.4 mu + tau^0.4 z, i.e. w ~ N(0.4 mu, tau^0.4) and theta = mu + tau^0.6 (w - 0.4 mu).
const partialSchools = [1, 5];
const partialWeight = 0.4;
const partialBlock: CenteringBlock = {
  effect: 'z', location: 'mu', scale: 'tau',
  elements: partialSchools.map((j) => ({ effect: j, location: 0, scale: 0, weight: partialWeight })),
};
const partlyPartial = defineModel({ ...nonCentered, name: 'eight-schools-partial', centering: [partialBlock] });
const handWrittenPartial = defineModel({
  name: 'eight-schools-hand-partial',
  parameters: {
    mu: { prior: new Normal(0, 5) },
    tau: { constraint: positive(), prior: new Normal(0, 5) },
    w: { shape: [J] },
  },
  logDensity: ({ mu, tau, w }) => {
    const isPartial = tf.tensor2d([Array.from({ length: J }, (_, j) => (partialSchools.includes(j) ? 1 : 0))]);
    const standard = tf.sub(1, isPartial);
    const shifted = tf.sub(w, tf.mul(partialWeight, mu));
    const thetaPartial = tf.add(mu, tf.mul(tf.pow(tau, 1 - partialWeight), shifted));
    const theta = tf.add(tf.mul(isPartial, thetaPartial), tf.mul(standard, tf.add(mu, tf.mul(tau, w))));
    const partialPrior = tf.sum(tf.mul(isPartial, new Normal(tf.mul(partialWeight, mu), tf.pow(tau, partialWeight)).logProb(w)), 1);
    const standardPrior = tf.sum(tf.mul(standard, new Normal(0, 1).logProb(w)), 1);
    return [partialPrior, standardPrior, likelihood(theta)];
  },
});

describe('centered sampling of non-centered effects', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('gives the log density and gradient of the model written centered', () => {
    const sampler = compile(partlyCentered);
    const reference = compile(handWritten);
    expect(sampler.dim).toBe(reference.dim);
    const chains = 3;
    const positions = Float64Array.from({ length: chains * sampler.dim }, (_, i) => Math.sin(1.7 * i + 0.3) * (i % 10 === 1 ? 1 : 6));
    const a = sampler.evaluate(positions, chains);
    const b = reference.evaluate(positions, chains);
    // Both in float32 tensors: relative agreement to ~1e-5 of the terms' size.
    for (let c = 0; c < chains; c++) expect(a.logDensity[c]).toBeCloseTo(b.logDensity[c], 3);
    for (let i = 0; i < positions.length; i++) expect(a.gradient[i]).toBeCloseTo(b.gradient[i], 3);
  });

  it('partial centering (weight 0.4) gives the log density and gradient of the model written that way', () => {
    const sampler = compile(partlyPartial);
    const reference = compile(handWrittenPartial);
    const chains = 3;
    const positions = Float64Array.from({ length: chains * sampler.dim }, (_, i) => Math.sin(1.3 * i + 0.7) * (i % 10 === 1 ? 1 : 5));
    const a = sampler.evaluate(positions, chains);
    const b = reference.evaluate(positions, chains);
    for (let c = 0; c < chains; c++) expect(a.logDensity[c]).toBeCloseTo(b.logDensity[c], 3);
    for (let i = 0; i < positions.length; i++) expect(a.gradient[i]).toBeCloseTo(b.gradient[i], 3);
    const values = { mu: 4.4, tau: 3.6, z: [0.3, -0.1, -0.9, 0.2, 1.1, -0.4, 0.5, 0.05] };
    const position = sampler.unconstrain(values);
    expect(position[2 + 1]).toBeCloseTo(0.4 * 4.4 + Math.pow(3.6, 0.4) * -0.1, 5);
    const back = sampler.constrain(position, 1);
    values.z.forEach((z, j) => expect(back.z[j]).toBeCloseTo(z, 5));
    expect(() => compile(defineModel({ ...nonCentered, centering: [{ ...partialBlock, elements: [{ effect: 0, location: 0, scale: 0, weight: 0 }] }] }))).toThrow(
      /element 0 of "z" has weight 0; a weight is in \(0, 1\]/,
    );
  });

  it('reports draws in the model parameters, and unconstrain inverts constrain', () => {
    const sampler = compile(partlyCentered);
    const values = { mu: 4.4, tau: 3.6, z: [0.3, -0.1, -0.9, 0.2, 1.1, -0.4, 0.5, 0.05] };
    const position = sampler.unconstrain(values);
    // The sampler's coordinate of a centered school is theta = mu + tau z; the others stay z (float32 tensors: 5 digits).
    expect(position[2 + 0]).toBeCloseTo(4.4 + 3.6 * 0.3, 5);
    expect(position[2 + 1]).toBeCloseTo(-0.1, 5);
    expect(position[2 + 6]).toBeCloseTo(4.4 + 3.6 * 0.5, 5);
    const back = sampler.constrain(position, 1);
    expect(back.mu[0]).toBeCloseTo(4.4, 5);
    expect(back.tau[0]).toBeCloseTo(3.6, 5);
    values.z.forEach((z, j) => expect(back.z[j]).toBeCloseTo(z, 5));
  });

  it('refuses blocks that do not fit the model', () => {
    const withBlocks = (centering: CenteringBlock[]) => () => compile(defineModel({ ...nonCentered, centering }));
    const element = [{ effect: 0, location: 0, scale: 0 }];
    expect(withBlocks([{ effect: 'x', location: 'mu', scale: 'tau', elements: element }])).toThrow(/no parameter "x" \(effect\)/);
    expect(withBlocks([{ effect: 'z', location: 'tau', scale: 'tau', elements: element }])).toThrow(/location "tau" must be unconstrained/);
    expect(withBlocks([{ effect: 'z', location: 'mu', scale: 'mu', elements: element }])).toThrow(/scale "mu" must be "positive"/);
    expect(withBlocks([{ effect: 'z', location: 'mu', scale: 'tau', elements: [{ effect: 8, location: 0, scale: 0 }] }])).toThrow(/element 8 of "z" is out of range/);
    expect(withBlocks([block, block])).toThrow(/element 0 of "z" is centered twice/);
  });

  it('leaks no tensors', () => {
    const sampler = compile(partlyCentered);
    const before = liveTensorCount();
    sampler.evaluate(new Float64Array(2 * sampler.dim).fill(0.1), 2);
    sampler.constrain(new Float64Array(sampler.dim).fill(0.1), 1);
    expect(liveTensorCount()).toBe(before);
  });
});
