/**
 * Notebook 1: a national marketing-mix model, end to end.
 *
 * What it shows, using only Mixwell's public API (src/index.ts):
 *   1. look at the data before fitting (spend, zero-spend weeks, collinearity, seasonality);
 *   2. fit the Bayesian MMM (adstock + Hill saturation + trend + seasonality + a price control)
 *      with the NUTS sampler;
 *   3. read the ROI table (ROI, marginal ROI, share of KPI, with 90% credible intervals) and, since
 *      the bundled data are simulated, compare it with the true ROI;
 *   4. read the health check (convergence, divergences, fit, priors vs posteriors);
 *   5. build charts from tidy rows (data first, then the chart) and write them as Vega-Lite JSON
 *      and SVG;
 *   6. save the run directory and its self-contained HTML report.
 *
 * Data: examples/national.csv, 104 weeks x 3 channels (tv, search, social) + price, the same shape
 * as the public "TikTok / Facebook / Google Ads / Sales" weekly dataset on Kaggle (see
 * ../shared/datasets/kaggle_tiktok_fb_google/SOURCE.md). To run this notebook on that file instead,
 * set MIXWELL_NOTEBOOK_NATIONAL=kaggle (it must be present under ../shared; it has no published
 * truth, so step 3 then shows the estimates only).
 *
 * Run: npx tsx notebooks/01-national.ts   (MIXWELL_NOTEBOOK_DRAWS etc.: see notebooks/settings.ts)
 * Output: notebooks/out/01-national/ (charts/, run/ with report.html, narrative.txt)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analysis, buildReport, charts, fitMmm, loadMmmData, loadRunConfig, parseRunConfig, writeRun, type RunConfig } from '../src/index.js';
import { fmt, notebookSettings, ROOT, table } from './settings.js';

const { chains, warmup, draws, seed, out, say } = notebookSettings('01-national');

// ---------------------------------------------------------------------------------------------
// 0. Which data: the bundled example (default) or the Kaggle-style file from ../shared.
// ---------------------------------------------------------------------------------------------
const KAGGLE_CSV = join(ROOT, '..', 'shared', 'datasets', 'kaggle_tiktok_fb_google', 'marketing_mix.csv');
const useKaggle = process.env.MIXWELL_NOTEBOOK_NATIONAL === 'kaggle';
if (useKaggle && !existsSync(KAGGLE_CSV)) {
  throw new Error(`MIXWELL_NOTEBOOK_NATIONAL=kaggle, but ${KAGGLE_CSV} is absent (it lives in the shared folder next to the project, not in the project)`);
}
const dataFile = useKaggle ? KAGGLE_CSV : join(ROOT, 'examples', 'national.csv');
// The config names the data's roles; everything about the model is left at its defaults.
const config: RunConfig = useKaggle
  ? parseRunConfig(
      {
        data: {
          geo: null,
          date: 'Date',
          dateFormat: 'M/D/YYYY',
          kpi: 'Sales',
          channels: [{ name: 'tiktok', spend: 'TikTok' }, { name: 'facebook', spend: 'Facebook' }, { name: 'google', spend: 'Google Ads' }],
          controls: [],
        },
      },
      'kaggle config',
    )
  : loadRunConfig(join(ROOT, 'examples', 'national.config.json'));

say(`# Notebook 1: a national MMM on ${useKaggle ? 'the Kaggle TikTok/Facebook/Google Ads data' : 'examples/national.csv'}`, '');

// ---------------------------------------------------------------------------------------------
// 1. Look at the data first. Validation is strict (a bad cell is an error naming row and column);
//    the data checks flag what makes channels hard to tell apart.
// ---------------------------------------------------------------------------------------------
const data = await loadMmmData(dataFile, config.data);
const checks = charts.dataChecks(charts.inspectDataFromMmmData(data));
say('## 1. The data', '', charts.formatDataChecks(checks, useKaggle ? 'marketing_mix.csv' : 'examples/national.csv'), '');
const dataCharts = charts.dataCheckCharts(checks);

// ---------------------------------------------------------------------------------------------
// 2. Fit. Four chains of 1000 draws are the real setting; the notebook's defaults are small so it
//    runs in seconds, and the health check below will say the run is too short to trust.
// ---------------------------------------------------------------------------------------------
say('## 2. Fit', '', `Sampling ${chains} chains x (${warmup} warmup + ${draws} draws), seed ${seed} ...`);
const started = Date.now();
const fit = await fitMmm(data, config, { chains, warmup, draws, seed, progress: false, verbose: false });
say(`done in ${((Date.now() - started) / 1000).toFixed(1)} s (backend ${fit.backend.name})`, '');

// ---------------------------------------------------------------------------------------------
// 3. The ROI table. `buildReport` computes contributions, ROI, marginal ROI (return on 1% more
//    spend), share of the KPI and cost per KPI for every posterior draw, then summarizes.
// ---------------------------------------------------------------------------------------------
const report = buildReport(fit, { priorDraws: 300 });
const row = (metric: string, channel: string) => report.media.channels.find((r) => r.metric === metric && r.channel === channel);
const truth = useKaggle ? undefined : (JSON.parse(readFileSync(join(ROOT, 'examples', 'national.truth.json'), 'utf8')).derived.roi as Record<string, number>);
const roiRows = fit.design.channelNames.map((channel) => {
  const roi = row('roi', channel);
  const mroi = row('mroi', channel);
  return [
    channel,
    `${fmt(roi?.mean)} [${fmt(roi?.q05)}, ${fmt(roi?.q95)}]`,
    ...(truth ? [fmt(truth[channel])] : []),
    `${fmt(mroi?.mean)} [${fmt(mroi?.q05)}, ${fmt(mroi?.q95)}]`,
    `${fmt(100 * (row('share', channel)?.mean ?? NaN))}%`,
    fmt(row('costPerKpi', channel)?.mean),
  ];
});
say(
  '## 3. ROI (KPI units per unit of spend), mean [90% credible interval]',
  '',
  table(['channel', 'ROI', ...(truth ? ['true ROI'] : []), 'mROI', 'share of KPI', 'cost per KPI'], roiRows),
  '',
  'mROI below ROI means the channel is on the flat part of its saturation curve: the next unit of spend',
  'returns less than the average unit did.',
  '',
);

// ---------------------------------------------------------------------------------------------
// 4. The health check: sampler diagnostics (R-hat, ESS, divergences, E-BFMI), fit metrics,
//    residual autocorrelation, posterior predictive p-values and prior-vs-posterior ROI.
// ---------------------------------------------------------------------------------------------
const fitAll = report.fitMetrics.find((m) => m.subset === 'all') ?? report.fitMetrics[0];
say(
  '## 4. Health check',
  '',
  `In-sample fit: R² ${fmt(fitAll?.r2)}, MAPE ${fmt(100 * (fitAll?.mape ?? NaN))}%`,
  `Sampler: max R-hat ${fmt(fit.result.health.maxRhat, 4)}, min bulk ESS ${fmt(fit.result.health.minEssBulk)}, ${fit.result.health.divergences} divergences`,
  ...report.health.map((flag) => `  [${flag.level}] ${flag.code}: ${flag.message}`),
  '',
);

// ---------------------------------------------------------------------------------------------
// 5. Charts. Every chart is a pure function of tidy rows: compute the rows (src/analysis and
//    charts' row builders), then the Vega-Lite spec, then write it (.vl.json + .svg).
// ---------------------------------------------------------------------------------------------
const { design, model } = fit;
const posterior = fit.result.posterior;
const channels = design.channelNames;
const words = charts.TEXT.charts;
const chart = (id: string, text: { title: string; description: string }, spec: charts.ChartSpec) => ({ id, title: text.title, description: text.description, spec });

// Model fit: actual KPI against the posterior mean, credible band and predictive interval.
const predictive = analysis.posteriorPredictiveCheck(design, model.config, posterior, { seed, keepReplicates: 200 });
const fitRows = charts.modelFitRows(design, report.media, predictive);
// Response curves: total incremental KPI as each channel's spend is scaled from 0 to 2x.
const curves = analysis.spendResponseCurves(design, model.config, posterior, { maxDraws: 200 });
// Saturation curves mark each channel's average media per period (original units; one geo here).
const levels = channels.map((channel, c) => {
  let total = 0;
  for (let t = 0; t < design.dates.length; t++) total += design.media[t * channels.length + c];
  return { channel, media: (total / design.dates.length) * design.mediaUnit[c] };
});

const notebookCharts = [
  chart('model-fit', words.modelFit, charts.modelFitSpec(fitRows)),
  chart('contributions-over-time', words.contributionArea, charts.contributionAreaSpec(charts.contributionRows(report.media), channels)),
  chart('contribution-waterfall', words.waterfall, charts.waterfallSpec(charts.contributionTotals(report.media), channels)),
  chart('roi-mroi', words.roi, charts.roiSpec(charts.roiIntervalRows(report.media), charts.roiDensityRows(report.media), channels)),
  chart('response-curves', words.responseCurves, charts.responseCurveSpec(curves, charts.responseMarks(curves), channels)),
  chart('adstock', words.adstock, charts.adstockSpec(analysis.adstockCurves(design, model.config, posterior, { maxDraws: 200 }), channels)),
  chart('saturation', words.saturation, charts.saturationSpec(analysis.saturationCurves(design, model.config, posterior, { maxDraws: 200 }), levels, channels)),
  chart('convergence', words.diagnostics, charts.convergenceSpec(fit.result.summary)),
  ...dataCharts,
];
const written = await charts.writeCharts(join(out, 'charts'), notebookCharts);
say('## 5. Charts', '', `${notebookCharts.length} charts (Vega-Lite JSON + SVG) in ${join(out, 'charts')}: ${notebookCharts.map((c) => c.id).join(', ')}`, '');

// ---------------------------------------------------------------------------------------------
// 6. Save the run (draws in Arrow and CmdStan CSV, summaries, health, provenance) and write its
//    HTML report from the stored draws, as `mixwell report` would.
// ---------------------------------------------------------------------------------------------
const runDir = join(out, 'run');
await writeRun(runDir, fit, report);
const page = await charts.writeReport(runDir, { maxDraws: 200, priorDraws: 300, replicates: 100 });
say('## 6. Run directory and report', '', `run: ${runDir}`, `report: ${page.html} (${page.charts.length} charts)`, '');
if (written.length !== 2 * notebookCharts.length) throw new Error(`expected ${2 * notebookCharts.length} chart files, wrote ${written.length}`);
