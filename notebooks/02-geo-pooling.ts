/**
 * Notebook 2: a geo model with partial pooling, and what pooling does to per-geo ROI.
 *
 * The geo MMM gives every geo g its own media coefficient per channel c,
 *
 *     beta[g,c] = exp(m_c + eta_c u[g,c]),   u[g,c] ~ Normal(0, 1),   eta_c ~ HalfNormal(0.3),
 *
 * so geos share a typical effect exp(m_c) and differ from it by a spread eta_c that the data
 * estimate: partial pooling (Gelman & Hill 2007, "Data Analysis Using Regression and
 * Multilevel/Hierarchical Models", ch. 12). A geo whose own data say little about a channel is
 * pulled ("shrunk") toward the typical effect; a geo with clear evidence keeps its own.
 *
 * What it shows, using only Mixwell's public API (src/index.ts):
 *   1. fit the geo example (4 geos x 78 weeks) with the default partial pooling;
 *   2. fit it again with a very wide prior on the geo spread (eta ~ HalfNormal(2)), which nearly
 *      removes the pooling: each geo's ROI then rests on its own data;
 *   3. compare per-geo ROI under both with the all-geo (pooled) ROI and, since the data are
 *      simulated, with the true per-geo ROI: partial pooling narrows the spread between geos and
 *      its intervals, and is usually closer to the truth;
 *   4. centered vs non-centered: the same model written as log beta[g,c] ~ Normal(m_c, eta_c)
 *      (centered) samples worse when the data say little about eta (Neal's funnel; Betancourt &
 *      Girolami 2015, "Hamiltonian Monte Carlo for Hierarchical Models"); the default non-centered
 *      form avoids it. The notebook fits both and compares the sampler diagnostics (set
 *      MIXWELL_NOTEBOOK_CENTERED=0 to skip that fit).
 *
 * Run: npx tsx notebooks/02-geo-pooling.ts   (MIXWELL_NOTEBOOK_DRAWS etc.: see notebooks/settings.ts)
 * Output: notebooks/out/02-geo-pooling/ (charts/, run/ with report.html, narrative.txt)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildReport, charts, fitMmm, loadMmmData, parseRunConfig, Posterior, writeRun, type MmmFit } from '../src/index.js';
import { fmt, notebookSettings, ROOT, table } from './settings.js';

const { chains, warmup, draws, seed, out, say } = notebookSettings('02-geo-pooling');
const compareCentered = process.env.MIXWELL_NOTEBOOK_CENTERED !== '0';

// ---------------------------------------------------------------------------------------------
// 0. Data and the three model variants. Only the `model` key differs.
// ---------------------------------------------------------------------------------------------
const baseConfig = JSON.parse(readFileSync(join(ROOT, 'examples', 'geo.config.json'), 'utf8')) as Record<string, unknown>;
const variants = {
  partial: parseRunConfig({ ...baseConfig, model: { geo: { intercept: 'noncentered', media: 'noncentered' } } }, 'partial pooling'),
  weak: parseRunConfig({ ...baseConfig, model: { priors: { eta: { dist: 'halfNormal', scale: 2 } } } }, 'weak pooling'),
  centered: parseRunConfig({ ...baseConfig, model: { geo: { intercept: 'centered', media: 'centered' } } }, 'centered'),
};
const data = await loadMmmData(join(ROOT, 'examples', 'geo.csv'), variants.partial.data);
say('# Notebook 2: geo model, partial pooling and shrinkage', '', `examples/geo.csv: ${data.geoNames.length} geos (${data.geoNames.join(', ')}) x ${data.dates.length} weeks, channels ${data.channelNames.join(', ')}`, '');

async function fitVariant(name: keyof typeof variants): Promise<{ fit: MmmFit; seconds: number }> {
  const started = Date.now();
  const fit = await fitMmm(data, variants[name], { chains, warmup, draws, seed, progress: false, verbose: false });
  return { fit, seconds: (Date.now() - started) / 1000 };
}

// ---------------------------------------------------------------------------------------------
// 1-2. Fit with partial pooling (the default) and with almost none (a wide prior on eta).
// ---------------------------------------------------------------------------------------------
say(`## 1-2. Fits: ${chains} chains x (${warmup} warmup + ${draws} draws), seed ${seed}`, '');
const partial = await fitVariant('partial');
say(`partial pooling (eta ~ HalfNormal(0.3), non-centered): ${partial.seconds.toFixed(1)} s`);
const weak = await fitVariant('weak');
say(`weak pooling    (eta ~ HalfNormal(2)):                  ${weak.seconds.toFixed(1)} s`, '');

// The geo spread eta_c: how different the data say geos are, per channel (truth: 0.25, 0.2, 0.15).
const truth = JSON.parse(readFileSync(join(ROOT, 'examples', 'geo.truth.json'), 'utf8')) as { params: Record<string, number | number[] | number[][]> };
const channels = partial.fit.design.channelNames;
const etaRows = channels.map((channel, c) => {
  const summary = (fit: MmmFit) => fit.result.summary.find((r) => r.name === `eta[${c + 1}]`);
  const p = summary(partial.fit);
  const w = summary(weak.fit);
  return [channel, fmt((truth.params.eta as number[])[c]), `${fmt(p?.mean)} [${fmt(p?.q05)}, ${fmt(p?.q95)}]`, `${fmt(w?.mean)} [${fmt(w?.q05)}, ${fmt(w?.q95)}]`];
});
say('Geo spread of log beta, eta_c: mean [90% interval]', '', table(['channel', 'true', 'partial pooling', 'weak pooling'], etaRows), '');

// ---------------------------------------------------------------------------------------------
// 3. Per-geo ROI: weak vs partial pooling vs the pooled (all-geo) ROI vs the truth.
//    `geoRoiRows` computes ROI[g,c] = contribution in geo g / spend in geo g for every draw.
//    The true per-geo ROI comes from the same function applied to a one-draw "posterior" made of
//    the true parameters (Posterior is part of the public API).
// ---------------------------------------------------------------------------------------------
const { design } = partial.fit;
const G = design.geoNames.length;
const C = channels.length;
const trueParams = ['alpha', 'k', 's', 'm', 'eta', 'u', 'tau0', 'sigma_tau', 'v', 'delta', 'phi', 'gamma', 'sigma'];
const truthPosterior = new Posterior(
  1,
  1,
  trueParams.map((name) => {
    const value = truth.params[name];
    const flat = Array.isArray(value) ? (value as (number | number[])[]).flat() : [value];
    const shape = name === 'u' ? [G, C] : Array.isArray(value) ? [flat.length] : [];
    return { name, shape, kind: 'parameter' as const, values: Float64Array.from(flat) };
  }),
);
const trueRoi = charts.geoRoiRows(design, partial.fit.model.config, truthPosterior);
const partialRoi = charts.geoRoiRows(design, partial.fit.model.config, partial.fit.result.posterior);
const weakRoi = charts.geoRoiRows(weak.fit.design, weak.fit.model.config, weak.fit.result.posterior);
const partialReport = buildReport(partial.fit, { priorDraws: 300 });
const pooledRoi = (channel: string) => partialReport.media.channels.find((r) => r.metric === 'roi' && r.channel === channel);

type Row = { readonly geo: string; readonly channel: string; readonly median: number; readonly q05: number; readonly q95: number };
const find = (rows: readonly Row[], geo: string, channel: string) => rows.find((r) => r.geo === geo && r.channel === channel);
const roiTable: string[][] = [];
const errors = { partial: [] as number[], weak: [] as number[] };
const widths = { partial: [] as number[], weak: [] as number[] };
for (const channel of channels) {
  for (const geo of design.geoNames) {
    const t = find(trueRoi, geo, channel);
    const p = find(partialRoi, geo, channel);
    const w = find(weakRoi, geo, channel);
    if (!t || !p || !w) continue; // a geo without spend on the channel has no ROI
    errors.partial.push(p.median - t.median);
    errors.weak.push(w.median - t.median);
    widths.partial.push(p.q95 - p.q05);
    widths.weak.push(w.q95 - w.q05);
    roiTable.push([`${channel} / ${geo}`, fmt(t.median), `${fmt(w.median)} [${fmt(w.q05)}, ${fmt(w.q95)}]`, `${fmt(p.median)} [${fmt(p.q05)}, ${fmt(p.q95)}]`, fmt(pooledRoi(channel)?.median)]);
  }
}
const rms = (x: readonly number[]) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
const mean = (x: readonly number[]) => x.reduce((s, v) => s + v, 0) / x.length;
const spread = (rows: readonly Row[], channel: string) => {
  const medians = rows.filter((r) => r.channel === channel).map((r) => r.median);
  const m = mean(medians);
  return Math.sqrt(medians.reduce((s, v) => s + (v - m) ** 2, 0) / (medians.length - 1));
};
say(
  '## 3. Per-geo ROI, median [90% interval]',
  '',
  table(['channel / geo', 'true', 'weak pooling', 'partial pooling', 'pooled (all geos)'], roiTable),
  '',
  table(
    ['channel', 'sd of geo medians: true', 'weak pooling', 'partial pooling'],
    channels.map((channel) => [channel, fmt(spread(trueRoi, channel)), fmt(spread(weakRoi, channel)), fmt(spread(partialRoi, channel))]),
  ),
  '',
  `Error of the per-geo medians against the truth (root mean square): weak pooling ${fmt(rms(errors.weak))}, partial pooling ${fmt(rms(errors.partial))}`,
  `Mean width of the 90% intervals: weak pooling ${fmt(mean(widths.weak))}, partial pooling ${fmt(mean(widths.partial))}`,
  'Partial pooling pulls each geo toward the channel\'s typical effect, most where its own data are thin;',
  'with short runs (the notebook default) the figures move a little from seed to seed.',
  '',
);

// A shrinkage chart, built by hand as a Vega-Lite spec from tidy rows: per geo and channel, the
// weak- and partial-pooling intervals and medians, the truth (tick) and the pooled ROI (rule).
const shrinkRows = [
  ...weakRoi.map((r) => ({ kind: 'estimate', fit: 'weak pooling', geo: r.geo, channel: r.channel, median: r.median, q05: r.q05, q95: r.q95 })),
  ...partialRoi.map((r) => ({ kind: 'estimate', fit: 'partial pooling', geo: r.geo, channel: r.channel, median: r.median, q05: r.q05, q95: r.q95 })),
  ...trueRoi.map((r) => ({ kind: 'truth', geo: r.geo, channel: r.channel, median: r.median })),
  ...channels.map((channel) => ({ kind: 'pooled', channel, median: pooledRoi(channel)?.median ?? NaN })),
];
const fitColor = { field: 'fit', type: 'nominal', title: null, scale: { domain: ['weak pooling', 'partial pooling'], range: ['#e45756', '#4c78a8'] }, legend: { orient: 'top' } };
const shrinkageSpec: charts.ChartSpec = {
  $schema: charts.VEGA_LITE_SCHEMA,
  title: { text: 'Per-geo ROI: weak vs partial pooling', subtitle: 'Bars: 90% intervals; dots: medians; black tick: true ROI; dashed rule: all-geo ROI (partial pooling)' },
  data: { values: shrinkRows },
  facet: { column: { field: 'channel', type: 'nominal', title: null, sort: channels } },
  resolve: { scale: { x: 'independent' } },
  spec: {
    width: 200,
    height: { step: 28 },
    layer: [
      { transform: [{ filter: "datum.kind === 'pooled'" }], mark: { type: 'rule', strokeDash: [4, 3], color: '#555555' }, encoding: { x: { field: 'median', type: 'quantitative' } } },
      {
        transform: [{ filter: "datum.kind === 'estimate'" }],
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: { y: { field: 'geo', type: 'nominal', title: null, sort: design.geoNames }, yOffset: { field: 'fit', type: 'nominal', sort: ['weak pooling', 'partial pooling'] }, x: { field: 'q05', type: 'quantitative', title: 'ROI' }, x2: { field: 'q95' }, color: fitColor },
      },
      {
        transform: [{ filter: "datum.kind === 'estimate'" }],
        mark: { type: 'point', filled: true, size: 40 },
        encoding: { y: { field: 'geo', type: 'nominal', sort: design.geoNames }, yOffset: { field: 'fit', type: 'nominal', sort: ['weak pooling', 'partial pooling'] }, x: { field: 'median', type: 'quantitative' }, color: fitColor },
      },
      { transform: [{ filter: "datum.kind === 'truth'" }], mark: { type: 'tick', color: 'black', thickness: 2 }, encoding: { y: { field: 'geo', type: 'nominal', sort: design.geoNames }, x: { field: 'median', type: 'quantitative' } } },
    ],
  },
};
const schemaProblems = charts.schemaErrors(shrinkageSpec);
if (schemaProblems.length > 0) throw new Error(`shrinkage chart: ${schemaProblems.join('; ')}`);

const words = charts.TEXT.charts;
const notebookCharts = [
  { id: 'geo-roi-shrinkage', title: 'Per-geo ROI: weak vs partial pooling', description: 'Partial pooling pulls per-geo ROI toward the all-geo ROI.', spec: shrinkageSpec },
  { id: 'geo-roi-partial', title: words.geoRoi.title, description: words.geoRoi.description, spec: charts.geoRoiSpec(partialRoi, channels, design.geoNames) },
  { id: 'geo-roi-weak', title: words.geoRoi.title, description: words.geoRoi.description, spec: charts.geoRoiSpec(weakRoi, channels, design.geoNames) },
];

// ---------------------------------------------------------------------------------------------
// 4. Centered vs non-centered: same model, different coordinates for the sampler.
// ---------------------------------------------------------------------------------------------
if (compareCentered) {
  const centered = await fitVariant('centered');
  const row = (name: string, run: { fit: MmmFit; seconds: number }) => {
    const h = run.fit.result.health;
    return [name, String(h.divergences), fmt(h.maxRhat, 4), fmt(h.minEssBulk), String(h.treeDepthSaturated), `${run.seconds.toFixed(1)} s`];
  };
  say(
    '## 4. Centered vs non-centered geo effects (same priors, same seed)',
    '',
    table(['parameterization', 'divergences', 'max R-hat', 'min bulk ESS', 'max-depth hits', 'time'], [row('non-centered (default)', partial), row('centered', centered)]),
    '',
    'Both describe the same posterior. With few geos the data say little about eta, and the centered form',
    'makes the sampler squeeze into the neck of a funnel (divergences, low ESS); the non-centered form samples',
    'u[g,c] ~ Normal(0, 1) instead, which is why it is the default. With many geos and strong data the centered',
    'form can be the better one: compare both when in doubt (config model.geo.media / model.geo.intercept).',
    '',
  );
  notebookCharts.push({ id: 'geo-roi-centered', title: words.geoRoi.title, description: words.geoRoi.description, spec: charts.geoRoiSpec(charts.geoRoiRows(centered.fit.design, centered.fit.model.config, centered.fit.result.posterior), channels, design.geoNames) });
} else {
  say('## 4. Centered vs non-centered: skipped (MIXWELL_NOTEBOOK_CENTERED=0)', '');
}

// ---------------------------------------------------------------------------------------------
// 5. Write the charts, and the partial-pooling run with its report (per-geo fit and ROI inside).
// ---------------------------------------------------------------------------------------------
await charts.writeCharts(join(out, 'charts'), notebookCharts);
const runDir = join(out, 'run');
await writeRun(runDir, partial.fit, partialReport);
const page = await charts.writeReport(runDir, { maxDraws: 200, priorDraws: 300, replicates: 100 });
say('## 5. Files', '', `${notebookCharts.length} charts in ${join(out, 'charts')}: ${notebookCharts.map((c) => c.id).join(', ')}`, `run: ${runDir}`, `report: ${page.html}`, '');
