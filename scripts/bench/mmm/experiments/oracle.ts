/**
 * What a perfectly adapted metric would give on geo-20: `npx tsx scripts/bench/mmm/experiments/oracle.ts
 * dense|diag WARMUP DRAWS ADAPT_DELTA ['{"geo":{...}}']` fixes the metric to the covariance of Stan's
 * 4000 posterior draws (dense, or its diagonal: what Stan's adaptation aims at), starts 4 chains at
 * Stan draws, adapts only the step size for WARMUP iterations and samples DRAWS. Prints leapfrog steps
 * per draw, divergences, min bulk ESS and ESS per 1000 sampling gradients. Figures in bench/README.md.
 */
import { sample } from '../../../../samplers/index.js';
import { essBulk, rhatBulk } from '../../../../src/diagnostics/index.js';
import { referenceTarget, sampleCovariance, stanDrawsUnconstrained } from './stanDraws.js';

const [kind = 'dense', warmupArg = '150', drawsArg = '200', deltaArg = '0.8', modelArg = '{}'] = process.argv.slice(2);
if (kind !== 'dense' && kind !== 'diag') throw new Error('first argument: dense or diag');
const target = await referenceTarget('../shared', 'geo-20', JSON.parse(modelArg) as Record<string, unknown>);
const dim = target.dim;
const stan = stanDrawsUnconstrained('../shared', 'geo-20', target);
const covariance = sampleCovariance(stan, dim);
const inverseMetric = kind === 'dense' ? covariance : Float64Array.from({ length: dim }, (_, i) => covariance[i * dim + i]);
const init = new Float64Array(4 * dim);
for (let k = 0; k < 4; k++) init.set(stan[k * 1000 + 500], k * dim);
const started = performance.now();
const result = sample(target, {
  chains: 4, warmup: Number(warmupArg), draws: Number(drawsArg), seed: 1, init: { positions: init },
  adaptation: { kind: 'stepSize', metric: kind, inverseMetric, targetAcceptance: Number(deltaArg) },
});
const leapfrog = result.stats.flatMap((s) => Array.from(s.nLeapfrog));
const samplingGradients = leapfrog.reduce((a, b) => a + b, 0);
let minEss = Infinity;
let minName = '';
let maxRhat = 0;
for (let d = 0; d < dim; d++) {
  const chains = result.draws.map((draws) => Float64Array.from({ length: result.numDraws }, (_, t) => draws[t * dim + d]));
  const ess = essBulk(chains);
  if (ess < minEss) [minEss, minName] = [ess, target.parameterNames[d]];
  maxRhat = Math.max(maxRhat, rhatBulk(chains));
}
console.log(JSON.stringify({
  kind, model: modelArg, adaptDelta: Number(deltaArg), seconds: (performance.now() - started) / 1000,
  leapfrogPerDraw: samplingGradients / leapfrog.length, stepSize: Array.from(result.warmup.stepSize), divergences: result.divergences,
  draws: leapfrog.length, minBulkEss: minEss, minBulkEssParam: minName, maxRhat, essPer1000SamplingGradients: (1000 * minEss) / samplingGradients,
}));
