/**
 * Every user-visible word of the charts, the HTML report and the `inspect` / `report` commands, in
 * one place: chart titles and captions, axis and legend titles, section headings, table headers,
 * flag messages. Builders and pages take their wording from here and nowhere else, so the wording
 * can be reviewed (or translated) without reading chart code.
 */

const percent = (x: number, digits = 0) => (Number.isFinite(x) ? `${(100 * x).toFixed(digits)}%` : 'n/a');
const num = (x: number, digits = 3) => (Number.isFinite(x) ? Number(x.toPrecision(digits)).toLocaleString('en-US') : 'n/a');

export const TEXT = {
  /** Shared labels of quantities. */
  labels: {
    date: 'Date',
    channel: 'Channel',
    geo: 'Geo',
    kpi: 'KPI',
    spend: 'Spend',
    multiplier: 'Multiple of current spend',
    allocation: 'Allocation',
    baseline: 'Baseline',
    total: 'Predicted total',
    roi: 'ROI',
    contribution: 'Contribution',
    allMedia: 'All media',
    prior: 'Prior',
    posterior: 'Posterior',
    current: 'Current',
    proposed: 'Proposed',
    median: 'Median',
    mean: 'Mean',
    lag: 'Lag (periods)',
    adstockWeight: 'Carry-over weight',
    saturation: 'Saturation (0 to 1)',
    mediaPerPeriod: 'Media per period (original units)',
    averageMedia: 'Average media per period',
    parameter: 'Parameter',
    value: 'Value',
    chain: 'Chain',
    count: 'Count',
    divergences: 'Divergent transitions',
    treeDepthHits: 'Maximum tree depth hits',
    rhat: 'R-hat',
    essBulk: 'Bulk ESS',
    essTail: 'Tail ESS',
    flagged: 'Beyond threshold',
    threshold: 'Threshold',
    weekOfYear: 'Week of year',
    year: 'Year',
    zeroShare: 'Share of zero-spend periods',
    spendShare: 'Share of total spend',
    correlation: 'Correlation',
    vif: 'Variance inflation factor',
    variable: 'Variable',
    media: 'Media',
    control: 'Control',
    allGeos: 'All geos',
  },

  charts: {
    modelFit: {
      title: 'Model fit: actual KPI vs posterior',
      titleByGeo: 'Model fit by geo',
      description:
        'Actual KPI (black) against the posterior mean of the expected KPI (line), its 90% credible band (dark) and the 90% posterior predictive interval including noise (light).',
      holdoutNote: 'Shaded periods are the holdout, left out of the fit.',
      descriptionByGeo: 'The same per geo.',
      y: 'KPI',
      actual: 'Actual',
      mean: 'Posterior mean',
      credible: '90% credible band (expected KPI)',
      predictive: '90% posterior predictive interval',
      holdout: 'Holdout',
    },
    timeEffect: {
      title: 'Time effect of the baseline',
      description:
        "The baseline's time effect per period, summed over geos: the trend or the knots' piecewise-linear effect, the Fourier seasonality, and their sum (posterior mean and 90% credible band). Dashed periods are after the data: the knots' effect is held at the last knot's value there.",
      y: 'KPI',
      mean: 'Posterior mean',
      component: 'Component',
      extrapolated: 'After the data',
    },
    contributionArea: {
      title: 'Contribution over time',
      description: 'Posterior mean contribution of each channel per period, stacked on the baseline (everything but media), summed over geos.',
      y: 'KPI',
    },
    waterfall: {
      title: 'Total contribution',
      description: 'Posterior mean baseline and contribution of each channel over the whole period, adding up to the predicted KPI total.',
      y: 'KPI',
      kind: { baseline: 'Baseline', channel: 'Media', total: 'Total' },
    },
    mediation: {
      title: 'Direct, indirect and total effect per channel',
      description:
        'Each channel\'s effect on the KPI when it is switched off over the window (KPI units, summed): direct (its own term in the KPI equation), indirect (through the mediators it drives) and total = direct + indirect per draw. Bar: 90% credible interval; dot: median; grey line: zero.',
      axis: 'Effect on the KPI over the window',
      kind: { direct: 'Direct', indirect: 'Indirect', total: 'Total' },
    },
    roi: {
      title: 'ROI and marginal ROI per channel',
      description:
        'Posterior density of each channel\'s ROI (incremental KPI or revenue per unit of spend) and marginal ROI (the return on 1% more spend). Thick bar: 50% interval; thin bar: 90% interval; dot: median.',
      axis: { roi: 'ROI', mroi: 'Marginal ROI (mROI)' },
    },
    priorPosterior: {
      title: 'Prior vs posterior',
      description: 'Prior and posterior density of the key media parameters (kernel density estimates of prior simulation and posterior draws). A posterior that looks like its prior means the data say little about that parameter.',
    },
    responseCurves: {
      title: 'Response curves',
      description:
        'Total incremental KPI of each channel as its spend is scaled (other channels unchanged): posterior mean and 90% band. The dot marks the current spend; a diamond the proposed spend, where a budget allocation is given.',
      x: 'Total spend over the period',
      y: 'Incremental KPI',
      yRevenue: 'Incremental revenue',
    },
    adstock: {
      title: 'Adstock decay',
      description: 'Share of a period\'s media effect that lands 0, 1, 2, ... periods later (normalized carry-over weights): posterior mean and 90% interval.',
    },
    saturation: {
      title: 'Saturation curves',
      description: 'Saturation of each channel at a constant media level per period (the steady state of the adstock): posterior mean and 90% band. The vertical rule marks the average media per period in the data. A reach and frequency channel\'s curve is over its average frequency (the reach multiplies it), its rule at the data\'s average frequency.',
    },
    optimalFrequency: {
      title: 'Optimal frequency',
      description:
        'ROI of each reach and frequency channel at its impressions of the data, when every period runs at the same average frequency (reach = impressions / frequency): posterior mean and 90% band. The dashed rule marks the optimal frequency (the largest mean ROI), the shaded span the 90% interval of the frequency that is best in each draw.',
      x: 'Average frequency per period',
      y: 'ROI (revenue per unit of spend)',
      yKpi: 'ROI (KPI per unit of spend)',
      optimal: 'Optimal frequency',
    },
    geoRoi: {
      title: 'ROI by geo',
      description: 'Each channel\'s ROI within each geo (contribution in the geo over spend in the geo): median, 50% and 90% intervals. Geos without spend on a channel are left out.',
    },
    effectiveness: {
      title: 'Media effectiveness over time',
      description:
        "Each time-varying channel's effectiveness per period: its coefficient at the period over its average (exp of the channel's Gaussian-process deviation; 1 = average, dashed rule). Line: posterior median; band: 90% credible interval.",
      y: 'Effectiveness',
    },
    periodRoi: {
      title: (grouping: string) => `ROI per ${grouping}`,
      description: (grouping: string) =>
        `Each paid channel's ROI within each ${grouping}: the ${grouping}'s contribution (including carry-over from earlier spend) over its spend, shown when some channel's effectiveness varies over time. Dot: median; bar: 90% interval.`,
      x: (grouping: string) => grouping.charAt(0).toUpperCase() + grouping.slice(1),
    },
    budget: {
      title: 'Budget allocation: current vs proposed',
      description: 'Spend per channel now and under the proposed allocation, with the uplift in the KPI it is expected to bring.',
      y: 'Spend',
      uplift: 'Uplift',
      upliftTitle: 'Expected uplift (90% interval)',
      subtitle: (uplift: { mean: number; q05: number; q95: number } | undefined, pBeats: number | undefined): string => {
        const parts: string[] = [];
        if (uplift) parts.push(`Uplift ${num(uplift.mean)} (90% interval ${num(uplift.q05)} to ${num(uplift.q95)})`);
        if (pBeats !== undefined) parts.push(`P(beats current) = ${percent(pBeats)}`);
        return parts.join('; ');
      },
    },
    tradeoff: {
      title: (a: string, b: string) => `Trade-off: ${a} vs ${b} at their current combined spend`,
      description:
        'Each split of the two channels\' current combined spend over the planning window (other channels at the current plan), from none to all of it on the first channel. Top: the change in the KPI against the current plan, posterior mean and 90% interval, from the same posterior draws under both plans. Bottom: the probability that the split beats the current plan (the share of draws in which its KPI is higher; 0 at the current split itself, where nothing changes). The rules mark the current split and the best one (the highest value of the optimizer\'s objective).',
      x: (a: string, b: string) => `Share of ${a} + ${b} spend on ${a}`,
      yUplift: 'KPI change vs current plan',
      yUpliftRevenue: 'Revenue change vs current plan',
      yProbability: 'P(beats current plan)',
      current: 'Current plan',
      optimum: 'Best split',
      kpi: 'KPI over the window (mean)',
      revenue: 'Revenue over the window (mean)',
      spendOn: (channel: string) => `Spend on ${channel}`,
      interval: (side: string) => `${side} of the 90% interval`,
      subtitle: (a: string, total: number, optimumShare: number, uplift: { mean: number; q05: number; q95: number }, pBeats: number): string =>
        `Combined spend ${num(total)}; best split ${percent(optimumShare)} on ${a}: change ${num(uplift.mean)} (90% interval ${num(uplift.q05)} to ${num(uplift.q95)}), P(beats current) = ${percent(pBeats)}`,
    },
    diagnostics: {
      title: 'Convergence: R-hat and effective sample size',
      description: 'Rank-normalized split R-hat and bulk/tail effective sample size of every parameter and derived quantity, grouped by variable. Points beyond the rule (R-hat > 1.01, ESS < 400) are flagged.',
    },
    sampler: {
      title: 'Sampler health per chain',
      description: 'Divergent transitions and iterations that hit the maximum tree depth, per chain. Divergences mean the sampler could not follow the posterior somewhere: results may be biased.',
      subtitle: (divergences: number, draws: number, treeDepth: number) =>
        `${divergences} divergent transition${divergences === 1 ? '' : 's'} and ${treeDepth} maximum tree depth hit${treeDepth === 1 ? '' : 's'} in ${draws} draws`,
    },
    spendKpi: {
      title: 'Spend and KPI over time',
      description: 'Spend per channel and the KPI per period, one line per geo. Look for gaps, spikes, flat stretches and channels that always move together.',
    },
    zeroSpend: {
      title: 'Zero-spend periods',
      description: 'Share of periods with no spend, per channel and geo. Channels that are rarely off are hard to separate from the baseline; channels that are almost always off leave little to learn from.',
    },
    spendShare: {
      title: 'Spend share by channel',
      description: 'Each channel\'s share of total spend over all geos and periods.',
    },
    correlation: {
      title: 'Correlation of media and controls',
      description: 'Pearson correlation over all geo-periods of the media inputs and controls. Pairs at or above the collinearity threshold are outlined: the model can hardly tell their effects apart.',
    },
    vif: {
      title: 'Variance inflation factors',
      description: 'How much each media input and control is explained by the others (VIF = 1 / (1 - R²) of its regression on the rest). Above 5 is a warning, above 10 serious collinearity.',
    },
    sbc: {
      title: 'Simulation-based calibration: ECDF of the ranks minus the uniform CDF',
      subtitle: (replicates: number, draws: number, level: number, outside: number, quantities: number) =>
        `${replicates} replicates, ranks among ${draws} posterior draws; grey: ${percent(level)} simultaneous band; ${outside} of ${quantities} quantities leave it`,
      description:
        'For each quantity, the ECDF of the fractional ranks of the true values among the posterior draws minus the uniform CDF. Calibrated inference keeps every line inside its band (at the stated simultaneous level): a line above it means the truth sits too often low in the posterior (draws biased up), below means biased down, a wave above then below (an "S") means the posterior is too narrow, the reverse too wide.',
      x: 'Fractional rank',
      y: 'ECDF - uniform',
      inBand: 'inside the band',
      outside: 'leaves the band',
      quantity: 'Quantity',
      chiSquareP: 'chi-square p',
    },
    seasonality: {
      title: 'KPI seasonality by week of year',
      description: 'Total KPI over geos by ISO week of the year, one line per year. Repeating shapes are seasonality the model must capture (Fourier terms, controls or events).',
    },
  },

  report: {
    pageTitle: (name: string) => `Mixwell report: ${name}`,
    heading: 'Mixwell report',
    generated: (when: string) => `Generated ${when}`,
    runLine: (dir: string, geos: number, periods: number, channels: number, chains: number, draws: number) =>
      `Run ${dir}: ${geos} geo${geos === 1 ? '' : 's'} x ${periods} periods x ${channels} channels; ${chains} chains x ${draws} draws`,
    noScript: 'The charts need JavaScript. The same charts are in the charts/ folder next to this file as SVG and Vega-Lite JSON.',
    chartFailed: 'This chart could not be drawn:',
    sections: {
      summary: 'Summary',
      health: 'Health check',
      roi: 'ROI table',
      fit: 'Model fit',
      contributions: 'Contributions',
      returns: 'Return on spend',
      curves: 'Response, adstock and saturation',
      geo: 'Geos',
      budget: 'Budget allocation',
      priors: 'Priors',
      diagnostics: 'Sampler diagnostics',
      data: 'Data checks',
      config: 'Model configuration',
      provenance: 'Provenance',
    },
    healthLevels: { ok: 'ok', warning: 'warning', error: 'error' } as Readonly<Record<string, string>>,
    healthHeaders: ['Level', 'Check', 'Finding'],
    healthSummary: (errors: number, warnings: number) =>
      errors + warnings === 0 ? 'Every check passed.' : `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}.`,
    roiHeaders: ['Channel', 'ROI (mean)', 'ROI 90% interval', 'mROI (mean)', 'mROI 90% interval', 'Contribution (mean)', 'Share of KPI', 'Cost per KPI', 'R-hat (ROI)', 'Bulk ESS (ROI)'],
    roiUnit: (unit: string) => (unit === 'revenuePerSpend' ? 'ROI is revenue per unit of spend.' : 'ROI is KPI units per unit of spend (no revenue per KPI was given).'),
    fitHeaders: ['Subset', 'Cells', 'R²', 'MAPE', 'WMAPE', 'RMSE'],
    fitSubsets: { all: 'All periods', inSample: 'In sample', holdout: 'Holdout' } as Readonly<Record<string, string>>,
    configIntro: 'The resolved run configuration (data roles, model, sampler, holdout) as stored in config.json.',
    provenanceIntro: 'Where the data came from and how the run was made, as stored in provenance.json.',
    dataIntro: 'The checks a careful analyst makes before trusting a fit, on the data the model saw.',
    budget: {
      intro: 'A budget allocation proposed by the optimizer (mixwell optimize) on this run\'s posterior, against the spend actually observed in the planning window.',
      headers: ['Channel', 'Current spend', 'Proposed spend', 'Change', 'Change (%)'],
      total: 'Total',
      window: (periods: number, from: string, to: string, level: string) => `Planning window: the last ${periods} periods of the data (${from} .. ${to}), ${level}-level plan.`,
      objective: (description: string) => `Objective: ${description}.`,
      effectiveness: (channels: readonly string[], periods: number, from: string, to: string) =>
        `Time-varying ${channels.length === 1 ? 'channel' : 'channels'} ${channels.join(', ')} ${channels.length === 1 ? 'was' : 'were'} planned with ${channels.length === 1 ? 'its' : 'their'} mean effectiveness over the latest ${periods} fitted periods (${from} .. ${to}); mixwell optimize --effectiveness-periods sets how many.`,
      uplift: (unit: string | undefined, mean: number, q05: number, q95: number) =>
        `Expected uplift in ${unit === 'revenue' ? 'revenue' : 'KPI'} over the window: ${num(mean)} (90% interval ${num(q05)} to ${num(q95)}).`,
      pBeats: (p: number, draws: number | undefined) => `P(proposed beats current) = ${percent(p, 1)}${draws !== undefined ? ` over ${draws} paired posterior draws` : ''}.`,
      source: (path: string) => `Read from ${path}.`,
      curvesNote: 'The window is shorter than the data, so the proposed spend is not marked on the response curves (their x is spend over the whole period).',
    },
    tradeoff: {
      intro: (a: string, b: string, total: string) =>
        `Trade-off between ${a} and ${b} (mixwell optimize --tradeoff): every split of their current combined spend of ${total} over the planning window, the other channels at the current plan.`,
      objective: (description: string, draws: number | undefined) => `Best split by the ${description}${draws !== undefined ? `, over ${draws} posterior draws` : ''}.`,
    },
  },

  inspect: {
    heading: 'Mixwell data inspection',
    pageTitle: (file: string) => `Mixwell data inspection: ${file}`,
    dataLine: (file: string, geos: number, periods: number, frequency: string, channels: number, controls: number) =>
      `${file}: ${geos} geo${geos === 1 ? '' : 's'} x ${periods} ${frequency} periods, ${channels} channels, ${controls} control${controls === 1 ? '' : 's'}`,
    channelHeaders: ['Channel', 'Total spend', 'Spend share', 'Zero-spend periods', 'Mean spend per period', 'VIF'],
    controlHeaders: ['Control', 'Mean', 'SD', 'VIF'],
    kpiLine: (mean: number, min: number, max: number, cv: number) => `KPI: mean ${num(mean)}, min ${num(min)}, max ${num(max)}, coefficient of variation ${percent(cv, 1)}`,
    warningsHeading: 'Data warnings:',
    findings: {
      mostlyOff: (channel: string, share: number) => `${channel} has no spend in ${percent(share, 1)} of geo-periods: few periods to learn its effect from.`,
      lowVariation: (channel: string, cv: number) => `${channel} spend hardly varies (coefficient of variation ${percent(cv, 1)}): its effect is hard to tell from the baseline.`,
      collinearPair: (a: string, b: string, r: number) => `${a} and ${b} move together (r = ${r.toFixed(2)}): the model can hardly separate their effects.`,
      highVif: (name: string, vif: number) => `${name} is largely explained by the other inputs (VIF ${Number.isFinite(vif) ? vif.toFixed(1) : 'infinite'}).`,
    },
    flagsHeading: 'Findings:',
    noFlags: 'No findings: spend varies, no channel is always or never on, and no inputs are collinear.',
    wroteCharts: (dir: string, count: number) => `wrote ${count} charts and inspect.html to ${dir}`,
    noOut: 'pass --out DIR to write the charts (SVG and Vega-Lite JSON) and an HTML page',
    units: { weekly: 'weekly', daily: 'daily' } as Readonly<Record<string, string>>,
  },

  cli: {
    reportWrote: (path: string, count: number) => `wrote ${path} and ${count} charts (SVG and Vega-Lite JSON) in charts/`,
    reportBudget: (path: string) => `budget section from ${path}`,
    allocationOlder: (path: string) => `warning: ${path} is older than the run's draws; it may come from an earlier fit into the same directory`,
    reportTradeoff: (path: string) => `trade-off chart from ${path}`,
  },
} as const;

/** 1234567 -> "1.23M" (3 significant digits, k / M / B suffix). */
export function formatShort(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  const a = Math.abs(x);
  const [scale, suffix] = a >= 1e9 ? [1e9, 'B'] : a >= 1e6 ? [1e6, 'M'] : a >= 1e3 ? [1e3, 'k'] : [1, ''];
  return `${Number((x / scale).toPrecision(3))}${suffix}`;
}

export { percent as formatPercent, num as formatNumber };

/** The sentence of a data-check finding (src/analysis/dataChecks.ts `Finding`). */
export function findingText(finding: { readonly code: string; readonly subjects: readonly string[]; readonly value: number }): string {
  const f = TEXT.inspect.findings;
  const [a, b] = finding.subjects;
  switch (finding.code) {
    case 'mostlyOff': return f.mostlyOff(a, finding.value);
    case 'lowVariation': return f.lowVariation(a, finding.value);
    case 'collinearPair': return f.collinearPair(a, b, finding.value);
    case 'highVif': return f.highVif(a, finding.value);
    default: return `${finding.code}: ${finding.subjects.join(', ')}`;
  }
}
