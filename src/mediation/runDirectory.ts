/**
 * The run directory of a mediation fit (`mixwell mediation --out DIR`, `writeMediationRun`):
 *
 *   effects.csv          per channel: direct, indirect and total effect (contribution over the window
 *                        and marginal), mean/sd/median/q05/q95 and P(> 0)
 *   paths.csv            per edge driver -> mediator: the mediator's change per unit of the driver
 *   summary.csv          every scalar parameter: mean/sd/q05/q50/q95/rhat/essBulk/essTail/mcseMean
 *   mediation.json       config, structure (mediators, edges), sampler health, the rows above
 *   provenance.json      data file and sha256, warnings, backend, seed, versions, timings
 *   draws.arrow, draws/  the posterior draws (Arrow for pandas, CmdStan CSV for ArviZ; drawsFiles.ts)
 *   charts/              mediation-effects.vl.json and .svg
 *   report.html          one self-contained page: health, effects (table and chart), paths,
 *                        parameters, config
 *
 * The MMM's run directory (src/run/runDirectory.ts) has the same draws, provenance and chart
 * conventions; a mediation run has no ROI (its channels may have no spend) and no budget.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mediationEffectsSpec, TEXT, type Chart } from '../charts/index.js';
import { escapeHtml, htmlPage, htmlTable, readEmbedScripts, writeCharts, type PageSection } from '../report/index.js';
import { rowsToCsv, versions, writeDraws, writeJson } from '../run/index.js';
import type { MediationFit } from './fit.js';
import { formatNumberShort } from './format.js';

export interface WrittenMediationRun {
  readonly dir: string;
  readonly files: readonly string[];
}

const SUMMARY_COLUMNS = ['name', 'mean', 'sd', 'q05', 'q50', 'q95', 'rhat', 'essBulk', 'essTail', 'mcseMean'] as const;

/** The effects chart of a fit. */
export function mediationCharts(fit: MediationFit): Chart[] {
  return [{ id: 'mediation-effects', title: TEXT.charts.mediation.title, description: TEXT.charts.mediation.description, spec: mediationEffectsSpec(fit.effects.effects) }];
}

function reportSections(fit: MediationFit, dataFile: string, charts: readonly Chart[]): PageSection[] {
  const { result, effects } = fit;
  const n = formatNumberShort;
  const health = result.health;
  const warnings = health.warnings.length > 0 ? `<ul>${health.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>` : '<p>No sampler warnings (R-hat, ESS, divergences, tree depth, E-BFMI).</p>';
  const effectRows = effects.effects.map((r) => [escapeHtml(r.channel), escapeHtml(r.effect), escapeHtml(r.measure), n(r.mean), n(r.median), n(r.q05), n(r.q95), r.probabilityPositive.toFixed(2), escapeHtml(r.unit)]);
  const pathRows = effects.paths.map((r) => [escapeHtml(r.driver), escapeHtml(r.mediator), n(r.mean), n(r.median), n(r.q05), n(r.q95), r.probabilityPositive.toFixed(2), escapeHtml(r.unit)]);
  const parameterRows = result.summary.map((r) => [escapeHtml(r.name), n(r.mean), n(r.sd), n(r.q05), n(r.q50), n(r.q95), r.rhat.toFixed(3), r.essBulk.toFixed(0), r.essTail.toFixed(0)]);
  return [
    {
      id: 'summary',
      heading: 'Run',
      html: `<p>${escapeHtml(`${dataFile}: ${fit.design.dates.length} periods, channels ${fit.design.channelNames.join(', ')}; mediators ${fit.structure.mediatorNames.join(', ')} (edges ${fit.structure.edges.map((e) => e.name).join(', ')}). ${result.posterior.chains} chains x ${result.posterior.drawsPerChain} draws, seed ${fit.sampler.seed}, backend ${fit.backend.name}; effects from ${effects.drawCount} draws.`)}</p>`,
    },
    { id: 'health', heading: 'Sampler health', html: `<p>${escapeHtml(`max R-hat ${health.maxRhat.toFixed(3)}, min bulk ESS ${health.minEssBulk.toFixed(0)}, min tail ESS ${health.minEssTail.toFixed(0)}, ${health.divergences} divergences`)}</p>${warnings}` },
    {
      id: 'effects',
      heading: 'Direct, indirect and total effects',
      html: htmlTable(['channel', 'effect', 'measure', 'mean', 'median', '5%', '95%', 'P(>0)', 'unit'], effectRows),
      charts,
    },
    { id: 'paths', heading: 'Paths', html: htmlTable(['driver', 'mediator', 'mean', 'median', '5%', '95%', 'P(>0)', 'unit'], pathRows) },
    { id: 'parameters', heading: 'Parameters', html: htmlTable(['parameter', 'mean', 'sd', '5%', '50%', '95%', 'R-hat', 'ESS bulk', 'ESS tail'], parameterRows) },
    { id: 'config', heading: 'Config', html: `<pre>${escapeHtml(JSON.stringify(fit.config, null, 2))}</pre>` },
  ];
}

/** Write the run directory of a mediation fit; `dataFile` names the data in the files. */
export async function writeMediationRun(dir: string, fit: MediationFit, dataFile: string): Promise<WrittenMediationRun> {
  mkdirSync(dir, { recursive: true });
  const { result, effects } = fit;
  const files: string[] = [];
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    files.push(join(dir, name));
  };
  write('effects.csv', rowsToCsv(effects.effects));
  write('paths.csv', rowsToCsv(effects.paths));
  write('summary.csv', rowsToCsv(result.summary, SUMMARY_COLUMNS));
  const writeJsonFile = (name: string, value: unknown) => {
    writeJson(join(dir, name), value);
    files.push(join(dir, name));
  };
  writeJsonFile('mediation.json', {
    data: dataFile,
    config: fit.config,
    sampler: fit.sampler,
    backend: fit.backend.name,
    health: result.health,
    mediators: fit.structure.mediatorNames,
    edges: fit.structure.edges.map((e) => e.name),
    drawCount: effects.drawCount,
    marginalStep: effects.marginalStep,
    effects: effects.effects,
    paths: effects.paths,
  });
  writeJsonFile('provenance.json', {
    created: new Date().toISOString(),
    data: fit.data.provenance,
    dataWarnings: fit.data.warnings,
    configFile: fit.configFile ?? null,
    backend: fit.backend.name,
    seed: fit.sampler.seed,
    versions: versions(),
    seconds: result.seconds,
    gradientEvaluations: result.samples.gradientEvaluations,
  });
  writeDraws(dir, result.posterior, result.samples, { model: result.model.name, seed: fit.sampler.seed, num_warmup: fit.sampler.warmup, num_samples: fit.sampler.draws });
  files.push(join(dir, 'draws.arrow'), join(dir, 'draws'));
  const charts = mediationCharts(fit);
  files.push(...(await writeCharts(join(dir, 'charts'), charts)));
  const page = { title: `Mixwell mediation: ${dataFile}`, heading: 'Mixwell mediation report', lines: [`Generated ${new Date().toISOString()}`], sections: reportSections(fit, dataFile, charts) };
  write('report.html', htmlPage(page, readEmbedScripts()));
  return { dir, files };
}
