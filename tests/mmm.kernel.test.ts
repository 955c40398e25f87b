/**
 * The geo MMM's production kernel (models/mmm/kernel/): for every config case on both example
 * datasets, the model's host-path log density equals the float64 reference density plus the
 * bijectors' log-Jacobians (tests/support/mmmDensity.ts, written independently of src/bijectors)
 * and its gradient matches central differences of that reference; the tensor path (the same kernel
 * as one custom-gradient op among float32 bijectors) agrees to float32 accuracy and leaks no
 * tensors; results per chain do not depend on how many chains are evaluated together; the kernel's
 * own vector-Jacobian product matches central differences of its float64 forward; and the media
 * block's one-pass fast path (geometric adstock x Hill) equals its general path. A third data set,
 * the geo example with social as an organic channel and price as a non-media treatment, runs the
 * default, the ROI-, contribution- and mROI-prior and the geo-varying controls/treatments cases
 * (under an ROI or mROI prior the organic channel keeps its m; under a contribution prior it takes p
 * like the paid ones).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { scaleData, type MmmData } from '../src/data/index.js';
import { compile } from '../src/ppl/index.js';
import { createRng, initBackend, liveTensorCount } from '../src/tensor/index.js';
import { DEFAULT_MODEL_CONFIG, type MmmModelConfig } from '../models/mmm/config.js';
import { designFromData, withHoldout } from '../models/mmm/design.js';
import { createMmmKernel } from '../models/mmm/kernel/kernel.js';
import { createGeoMmm } from '../models/mmm/model.js';
import { mmmParameters } from '../models/mmm/parameters.js';
import { cases, channelKindCases, expectGradientMatchesReference, expectKernelMatchesReference, geoEffectCases, hostUnconstrained, structureCases } from './support/mmmDensity.js';
import { loadExample, loadExampleWith, withRfChannel } from './support/examples.js';
import { withRfChannels } from '../models/mmm/components/transformKinds.js';

type Which = 'geo' | 'national' | 'organic' | 'rf' | 'organicRf';
/** The reach and frequency cases the organic data set also runs with social as organic reach and frequency (no spend: m under an ROI prior). */
const ORGANIC_RF_CASES = ['reach and frequency (default)', 'reach and frequency, ROI prior, binomial adstock on the rf channel, impression channels saturation first'];
/**
 * Reach and frequency cases, on the geo example with tv as a reach and frequency channel (its media
 * read as the reach, a synthetic frequency: tests/support/examples.ts withRfChannel): Hill on the
 * frequency times the reach, then adstocked (Meridian's adstock_hill_rf).
 */
const RF_CASES: [string, Partial<MmmModelConfig>][] = [
  ['reach and frequency (default)', {}],
  ['reach and frequency, ROI prior, binomial adstock on the rf channel, impression channels saturation first', { mediaPrior: { type: 'roi' }, adstock: { type: 'geometric', maxLag: 6, byChannel: { tv: { type: 'binomial' } } }, order: { type: 'saturationThenAdstock' } }],
  ['reach and frequency, contribution prior, 8-period holdout', { mediaPrior: { type: 'contribution' } }],
  ['reach and frequency, mROI prior (linear in the reach: mROI = ROI)', { mediaPrior: { type: 'mroi' } }],
  [
    'reach and frequency, lift test on the rf channel',
    { experiments: [{ channel: 'tv', geos: ['north', 'east'], from: '2023-05-01', to: '2023-05-22', measuredFrom: '2023-05-01', measuredTo: '2023-07-10', spendDelta: 4000, dataIncludesTest: false, likelihood: 'normal', liftKpi: 30000, liftSe: 6000 }] },
  ],
];
/** The cases the organic + treatment data set runs. */
const ORGANIC_CASES = [
  'reference (default)',
  'ROI prior with a window, fixed Hill slope, 8-period holdout',
  'contribution prior with a window, Michaelis-Menten, 8-period holdout',
  'mROI prior',
  ...geoEffectCases.map(([label]) => label),
];

describe('geo MMM kernel', () => {
  let geo: MmmData;
  let national: MmmData;
  let organic: MmmData;
  let rf: MmmData;
  let organicRf: MmmData;
  beforeAll(async () => {
    await initBackend();
    geo = await loadExample('geo');
    national = await loadExample('national');
    organic = await loadExampleWith('geo', (spec) => ({
      ...spec,
      channels: spec.channels?.filter((ch) => ch.name !== 'social'),
      organic: [{ name: 'social', media: 'social_spend' }],
      controls: ['temperature'],
      treatments: [{ column: 'price', baseline: 'max' }],
    }));
    rf = withRfChannel(geo, 'tv');
    organicRf = withRfChannel(withRfChannel(organic, 'tv'), 'social', 5, 'organicRf');
  });

  const setup = (label: string, which: Which, overrides: Partial<MmmModelConfig>) => {
    const data = which === 'geo' ? geo : which === 'national' ? national : which === 'rf' ? rf : which === 'organicRf' ? organicRf : organic;
    const full = designFromData(data, scaleData(data));
    const design = label.includes('8-period holdout') ? withHoldout(full, 8) : full;
    const config: MmmModelConfig = withRfChannels({ ...DEFAULT_MODEL_CONFIG, ...overrides }, design.channelNames, design.channelKinds);
    return { design, config };
  };

  for (const [caseLabel, caseOverrides] of [...cases, ...structureCases, ...channelKindCases, ...geoEffectCases, ...RF_CASES]) for (const linearBlock of ['auto', 'sample'] as const) {
    const label = `${caseLabel}${linearBlock === 'sample' ? ', linear block sampled' : ''}`;
    const overrides: Partial<MmmModelConfig> = { ...caseOverrides, linearBlock };
    const isRf = RF_CASES.some(([rfLabel]) => rfLabel === caseLabel);
    const datasets: Which[] = isRf ? ['rf', ...(ORGANIC_RF_CASES.includes(caseLabel) ? (['organicRf'] as const) : [])] : ORGANIC_CASES.includes(caseLabel) ? ['geo', 'national', 'organic'] : ['geo', 'national'];
    for (const which of datasets) {
      it(`${label} (${which}): host and tensor paths match the float64 reference and its finite differences`, () => {
        const { design, config } = setup(label, which, overrides);
        const before = liveTensorCount();
        const host = compile(createGeoMmm(design, config).definition);
        expect(host.path).toBe('host');
        const tensor = compile(createGeoMmm(design, config).definition, { path: 'tensor' });
        expect(tensor.path).toBe('tensor');
        const dim = host.dim;
        const rng = createRng(7, label + which);
        const chains = 3;
        const positions = Float64Array.from({ length: chains * dim }, () => 1.6 * rng.uniform() - 0.8);
        const hostResult = host.evaluate(positions, chains);
        const live = liveTensorCount();
        const tensorResult = tensor.evaluate(positions, chains);
        expect(liveTensorCount()).toBe(live);
        for (let c = 0; c < chains; c++) {
          const position = positions.subarray(c * dim, (c + 1) * dim);
          const reference = hostUnconstrained(design, config, host, position);
          // float64 throughout: 1e-9 relative on the value.
          expect(Math.abs(hostResult.logDensity[c] - reference)).toBeLessThan(1e-9 * Math.abs(reference) + 1e-9);
          // The tensor path's bijectors and uploads are float32: ~1e-5 of |log density|.
          expect(Math.abs(tensorResult.logDensity[c] - reference)).toBeLessThan(2e-5 * Math.abs(reference) + 1e-2);
          expectGradientMatchesReference(design, config, host, position, [
            { label: 'host', gradient: hostResult.gradient.subarray(c * dim, (c + 1) * dim) },
            { label: 'tensor', gradient: tensorResult.gradient.subarray(c * dim, (c + 1) * dim), float32: true },
          ]);
        }
        // A change of chain count resizes the scratch buffers and gives the same values per chain.
        const single = host.evaluate(positions.subarray(dim, 2 * dim), 1);
        expect(single.logDensity[0]).toBe(hostResult.logDensity[1]);
        single.gradient.forEach((g, d) => expect(g).toBe(hostResult.gradient[dim + d]));
        host.dispose();
        tensor.dispose();
        expect(liveTensorCount()).toBe(before);
      });

      it(`${label} (${which}): the kernel's VJP matches central differences of its float64 forward; its outputs sum to the reference`, () => {
        const { design, config } = setup(label, which, overrides);
        expectKernelMatchesReference(design, config, label + which);
      });
    }
  }

  it('the one-pass media backward (geometric x Hill) equals the general path', () => {
    for (const which of ['geo', 'national'] as const) {
      for (const overrides of [{}, { saturation: { type: 'hill', fixedSlope: 1.5 } }] as Partial<MmmModelConfig>[]) {
        const { design, config } = setup('', which, overrides);
        const table = mmmParameters(design, config);
        const fast = createMmmKernel(design, config, table);
        const general = createMmmKernel(design, config, table, { fastPaths: false });
        const model = compile(createGeoMmm(design, config).definition);
        const rng = createRng(5, which);
        const chains = 3;
        const constrained = model.constrain(Float64Array.from({ length: chains * model.dim }, () => 1.6 * rng.uniform() - 0.8), chains);
        model.dispose();
        const values = fast.inputNames.map((name) => Float64Array.from(constrained[name]));
        const dy = Float64Array.from({ length: chains * fast.outputWidth }, () => rng.normal());
        expect(Array.from(fast.forward(values, chains))).toEqual(Array.from(general.forward(values, chains)));
        fast.forward(values, chains);
        const a = Float64Array.from(fast.backward(dy));
        general.forward(values, chains);
        const b = general.backward(dy);
        // The same sums in the same order, fused into one loop: equal to the last bit.
        a.forEach((x, i) => expect(x, `element ${i}`).toBe(b[i]));
      }
    }
  });
});
