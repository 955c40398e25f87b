/**
 * The MMM's pointwise log-likelihood (src/analysis/logLikelihood.ts) and the run directory's
 * model-comparison and probability outputs (src/run/looFiles.ts, runDirectory.ts, src/report/summaryText.ts,
 * the report's tables):
 * - summed over the fitted cells (back in scaled units), the pointwise values equal the likelihood
 *   part of the float64 reference density (reference with all cells minus reference with none), for
 *   the Normal and the Student-t likelihood; held-out cells are kept apart;
 * - a run written from the bundled national example (no sampling: the fixture's perturbed truth)
 *   has log_lik.arrow / log_lik_holdout.arrow (float32, `log_lik[g,t]` columns, chain and draw),
 *   loo_pointwise.csv, probabilities.csv and summary.json entries that agree with a recomputation,
 *   and the summary text and report tables show them.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC, Type } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdoutLpd, kpiLogLikelihood } from '../src/analysis/index.js';
import { modelComparisonHtml, probabilitiesHtml } from '../src/report/probabilityTable.js';
import { psisLoo } from '../src/diagnostics/index.js';
import { readLooPointwise, writeLooFiles } from '../src/run/looFiles.js';
import { readRun } from '../src/run/runDirectory.js';
import { runProbabilities } from '../src/report/runProbabilities.js';
import { formatRunSummary } from '../src/report/summaryText.js';
import { DEFAULT_MODEL_CONFIG, type MmmModelConfig } from '../models/mmm/config.js';
import { withHoldout } from '../models/mmm/design.js';
import { referenceLogDensity } from '../models/mmm/referenceDensity.js';
import { loadGeoDesign, posteriorAround, readGeoTruth, truthShapes, truthValues } from './fixtures/analysis/examplePosterior.js';
import { writeExampleRun } from './fixtures/charts/exampleRun.js';

describe('pointwise log-likelihood of the KPI', () => {
  it('sums to the likelihood of the reference density (normal and Student-t, one sigma or one per geo), holdout apart', async () => {
    const full = await loadGeoDesign();
    const design = withHoldout(full, 6);
    const G = design.geoNames.length;
    const T = design.dates.length;
    const C = design.channelNames.length;
    const truth = truthValues(readGeoTruth());
    for (const [likelihood, sigmaByGeo] of [['normal', false], ['studentT', false], ['normal', true], ['studentT', true]] as const) {
      const config: MmmModelConfig = { ...DEFAULT_MODEL_CONFIG, likelihood, sigmaByGeo };
      // one sigma per geo (model config sigmaByGeo): [G] values around the truth's
      const sigma = sigmaByGeo ? Float64Array.from({ length: G }, (_, g) => truth.sigma[0] * (0.6 + 0.3 * g)) : truth.sigma;
      const values = { ...truth, sigma, ...(likelihood === 'studentT' ? { nu: Float64Array.of(6) } : {}) };
      const posterior = posteriorAround(values, { ...truthShapes(G, C), sigma: sigmaByGeo ? [G] : [] }, 2, 3, 0.05, 9);
      const logLik = kpiLogLikelihood(design, config, posterior);
      expect(logLik.fitted.cells.length).toBe(G * (T - 6));
      expect(logLik.holdout.cells.length).toBe(G * 6);
      expect(Array.from(logLik.holdout.cells.slice(0, 6))).toEqual([T - 6, T - 5, T - 4, T - 3, T - 2, T - 1]);
      const none = { ...design, observed: new Float64Array(G * T) };
      const all = { ...design, observed: undefined };
      const S = logLik.fitted.matrix.draws;
      for (let s = 0; s < S; s++) {
        const draw = posterior.drawValues(Math.floor(s / 3), s % 3);
        const likelihoodPart = referenceLogDensity(design, config, draw) - referenceLogDensity(none, config, draw);
        const everyCell = referenceLogDensity(all, config, draw) - referenceLogDensity(none, config, draw);
        let fitted = 0;
        logLik.fitted.cells.forEach((cell, i) => (fitted += logLik.fitted.matrix.values[i * S + s] + Math.log(design.kpiUnit[Math.floor(cell / T)])));
        let held = 0;
        logLik.holdout.cells.forEach((cell, i) => (held += logLik.holdout.matrix.values[i * S + s] + Math.log(design.kpiUnit[Math.floor(cell / T)])));
        // Sums of a few thousand float64 terms of size ~1: agreement to 1e-9 relative.
        expect(fitted).toBeCloseTo(likelihoodPart, 6);
        expect(fitted + held).toBeCloseTo(everyCell, 6);
      }
    }
  });
});

describe('run directory: log-likelihood, LOO and probabilities', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixwell-loo-'));
  const run = join(dir, 'run');
  let fixture: Awaited<ReturnType<typeof writeExampleRun>>;
  beforeAll(async () => {
    fixture = await writeExampleRun(run, { dataset: 'national', chains: 2, draws: 60, holdout: 8 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('log_lik.arrow and log_lik_holdout.arrow: float32 columns log_lik[g,t] with chain and draw', () => {
    const stored = readRun(run);
    const logLik = kpiLogLikelihood(fixture.design, stored.model, fixture.posterior);
    const table = tableFromIPC(readFileSync(join(run, 'log_lik.arrow')));
    expect(table.numRows).toBe(120);
    expect(table.schema.fields.map((f) => f.name).slice(0, 3)).toEqual(['chain', 'draw', 'log_lik[1,1]']);
    expect(table.schema.fields.length).toBe(2 + 96);
    expect(table.schema.fields[2].type.typeId).toBe(Type.Float);
    const column = table.getChild('log_lik[1,5]')!.toArray() as Float32Array;
    expect(column).toBeInstanceOf(Float32Array);
    const S = 120;
    for (let s = 0; s < S; s++) expect(column[s]).toBeCloseTo(logLik.fitted.matrix.values[4 * S + s], 5);
    expect(Array.from(table.getChild('chain')!.toArray() as Int32Array).slice(58, 62)).toEqual([1, 1, 2, 2]);
    expect(Array.from(table.getChild('draw')!.toArray() as Int32Array).slice(58, 62)).toEqual([59, 60, 1, 2]);
    const holdout = tableFromIPC(readFileSync(join(run, 'log_lik_holdout.arrow')));
    expect(holdout.schema.fields.map((f) => f.name).slice(2)).toEqual(Array.from({ length: 8 }, (_, i) => `log_lik[1,${97 + i}]`));
  });

  it('loo_pointwise.csv and summary.json agree with PSIS-LOO recomputed from the draws', () => {
    const stored = readRun(run);
    const logLik = kpiLogLikelihood(fixture.design, stored.model, fixture.posterior);
    const loo = psisLoo(logLik.fitted.matrix);
    // All draws, chain-major: each observation's PSIS tail uses its own relative efficiency.
    expect(logLik.fitted.matrix.chains).toBe(fixture.posterior.chains);
    expect(loo.pointwise.relativeEfficiency.every((r) => r > 0 && r < 2)).toBe(true);
    expect(new Set(loo.pointwise.relativeEfficiency).size).toBeGreaterThan(1);
    const rows = readLooPointwise(run)!;
    expect(rows).toHaveLength(104);
    expect(rows.filter((r) => r.set === 'holdout').map((r) => r.date)).toEqual(fixture.design.dates.slice(96));
    rows.filter((r) => r.set === 'fit').forEach((r, i) => {
      expect(r.elpdLoo).toBe(loo.pointwise.elpdLoo[i]);
      expect(r.paretoK).toBe(loo.pointwise.paretoK[i]);
    });
    expect(rows[0].column).toBe('log_lik[1,1]');
    expect(rows[0].kpi).toBeCloseTo(88807, 6);
    expect(stored.summary.loo!.elpdLoo).toBeCloseTo(loo.estimates.elpdLoo, 9);
    expect(stored.summary.loo!.observations).toBe(96);
    const held = holdoutLpd(logLik)!;
    expect(stored.summary.holdoutLpd!.lpd).toBeCloseTo(held.lpd, 9);
    expect(stored.summary.holdoutLpd!.observations).toBe(8);
  });

  it('probabilities in summary.json and probabilities.csv; the summary text and report tables show them', () => {
    const stored = readRun(run);
    const probabilities = stored.summary.probabilities!;
    expect(probabilities.filter((r) => r.kind === 'roiAbove')).toHaveLength(3);
    expect(probabilities.filter((r) => r.kind === 'roiGreater')).toHaveLength(6);
    expect(probabilities.filter((r) => r.kind === 'bestMroi').reduce((s, r) => s + r.probability, 0)).toBeCloseTo(1, 12);
    const csv = readFileSync(join(run, 'probabilities.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('kind,statement,channel,versus,threshold,probability,mcse,ess,draws');
    expect(csv).toHaveLength(1 + probabilities.length);
    const text = formatRunSummary(stored);
    expect(text).toMatch(/Posterior probabilities \(share of 120 draws/);
    expect(text).toMatch(/P\(ROI > 1\)\s+P\(mROI > 1\)\s+P\(best mROI\)/);
    expect(text).toMatch(/P\(ROI row > ROI column\)\s+tv\s+search\s+social/);
    expect(text).toMatch(/PSIS-LOO \(96 fitted observations\): elpd_loo -?\d/);
    expect(text).toMatch(/Holdout \(8 observations\): lpd/);
    const html = probabilitiesHtml(stored.design.channelNames, probabilities) + modelComparisonHtml(stored.summary.loo, stored.summary.holdoutLpd);
    expect(html).toContain('<th>P(ROI row &gt; ROI column)</th>');
    expect(html).toContain('Holdout lpd, 8 observations');
    expect(probabilitiesHtml(['a'], undefined)).toBe('');
  });

  it('probabilities recomputed from the draws with another target (runProbabilities)', () => {
    const stored = readRun(run);
    const rows = runProbabilities(stored, { mroiTarget: 0.5 });
    const roiAbove = rows.filter((r) => r.kind === 'roiAbove');
    expect(roiAbove.map((r) => r.probability)).toEqual(stored.summary.probabilities!.filter((r) => r.kind === 'roiAbove').map((r) => r.probability));
    expect(rows.filter((r) => r.kind === 'mroiAbove').every((r) => r.threshold === 0.5)).toBe(true);
    expect(formatRunSummary(stored, { probabilities: rows })).toMatch(/P\(mROI > 0\.5\)/);
  });

  it('the log-likelihood files can be left out (writeRun option logLik: false); stale ones are removed', () => {
    const stored = readRun(run);
    const logLik = kpiLogLikelihood(fixture.design, stored.model, fixture.posterior);
    const other = join(dir, 'nolik');
    mkdirSync(other);
    writeFileSync(join(other, 'log_lik.arrow'), 'stale');
    writeLooFiles(other, fixture.design, 60, logLik, psisLoo(logLik.fitted.matrix), { logLik: false });
    expect(existsSync(join(other, 'log_lik.arrow'))).toBe(false);
    expect(existsSync(join(other, 'log_lik_holdout.arrow'))).toBe(false);
    expect(readLooPointwise(other)).toEqual(readLooPointwise(run));
  });
});
