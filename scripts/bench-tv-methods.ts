/**
 * `npm run bench:tv-methods`: the measurement behind the default process of time-varying media
 * effectiveness (models/mmm/components/timeVarying.ts, issue 22): the HSGP against the random walk
 * on a coarse grid, fitted through the public API (fitMmm) to the simulated rising/flat data of the
 * validate section tv-recovery (scripts/validate/sections/timeVaryingSimulation.ts: 4 geos x 104
 * weeks, "rising" effectiveness x1 -> x1.5 over the two years, "flat" static), the two methods in
 * alternation in one process with the same seeds. Per fit: CPU seconds (process.cpuUsage, worker
 * threads included) and wall seconds, the sampler's health (max R-hat, divergences), ESS per CPU
 * second (minimum bulk ESS over the parameters, and of w of "rising" at the first, middle and last
 * period), and recovery: the 90% band's coverage of rising's true w, the RMSE of its posterior mean,
 * and flat's sd over periods of w (posterior median; 0 is the truth).
 *
 * Options: --chains --warmup --draws (default 4 x 500 + 500), --seed, --repeats N (default 1),
 * --adapt-delta (default 0.8), --methods hsgp,randomWalk, --out FILE
 * (default bench/tv-methods-<date>.json).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { essBulk } from '../src/diagnostics/index.js';
import { parseMmmData } from '../src/data/index.js';
import { fitMmm, type MmmFit } from '../src/mmm/fit.js';
import { parseRunConfig } from '../src/mmm/config.js';
import { logEffectivenessHost, timeVaryingLayout } from '../models/mmm/index.js';
import { bandCoverage, logEffectivenessBand, logEffectivenessSdDraws, rootMeanSquare } from './validate/sections/timeVaryingBands.js';
import { simulateTimeVaryingData, TIME_VARYING_SIMULATION_DEFAULTS } from './validate/sections/timeVaryingSimulation.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const { values: args } = parseArgs({
  options: {
    chains: { type: 'string', default: '4' },
    warmup: { type: 'string', default: '500' },
    draws: { type: 'string', default: '500' },
    seed: { type: 'string', default: '20240601' },
    repeats: { type: 'string', default: '1' },
    'adapt-delta': { type: 'string', default: '0.8' },
    methods: { type: 'string', default: 'hsgp,randomWalk' },
    out: { type: 'string' },
  },
});
const integer = (value: string, flag: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag} must be an integer >= 1, got "${value}"`);
  return n;
};
const settings = { chains: integer(args.chains, 'chains'), warmup: integer(args.warmup, 'warmup'), draws: integer(args.draws, 'draws'), seed: integer(args.seed, 'seed') };
const repeats = integer(args.repeats, 'repeats');
const adaptDelta = Number(args['adapt-delta']);
if (!(adaptDelta > 0 && adaptDelta < 1)) throw new Error(`--adapt-delta must be in (0, 1), got "${args['adapt-delta']}"`);

const ALL_METHODS = {
  hsgp: { channels: 'all' },
  randomWalk: { channels: 'all', method: 'randomWalk' },
} as const;
const METHODS = Object.fromEntries(
  args.methods.split(',').map((name) => {
    if (!(name in ALL_METHODS)) throw new Error(`--methods: unknown method "${name}" (known: ${Object.keys(ALL_METHODS).join(', ')})`);
    return [name, ALL_METHODS[name as keyof typeof ALL_METHODS]];
  }),
);

/** w of `channel` at period t for every draw, by chain. */
function wChains(fit: MmmFit, channel: string, t: number): Float64Array[] {
  const { design, model, result } = fit;
  const layout = timeVaryingLayout(design, model.config);
  if (!layout) throw new Error('no time-varying channels');
  const slot = layout.slotOf[design.channelNames.indexOf(channel)];
  const posterior = result.posterior;
  const w = new Float64Array(layout.periods);
  return Array.from({ length: posterior.chains }, (_, chain) =>
    Float64Array.from({ length: posterior.drawsPerChain }, (_, draw) => logEffectivenessHost(layout, posterior.drawValues(chain, draw), slot, w)[t]),
  );
}

const median = (values: Float64Array): number => {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.floor(sorted.length / 2)];
};

async function main(): Promise<void> {
  const sim = simulateTimeVaryingData();
  const data = parseMmmData(sim.csv, sim.dataSpec);
  const truth = sim.truth.logEffectiveness.rising;
  const T = truth.length;
  const rows: Record<string, unknown>[] = [];
  console.log(`tv methods: ${data.G} geos x ${T} weeks; ${settings.chains} chains x ${settings.warmup} + ${settings.draws}, seed ${settings.seed}, adapt delta ${adaptDelta}, ${repeats} repeat(s)`);
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (const [method, timeVarying] of Object.entries(METHODS)) {
      const config = parseRunConfig({ data: sim.dataSpec, model: { geo: { media: 'pooled' }, timeVarying }, sampler: { adaptDelta } }, 'tv methods');
      const cpu = process.cpuUsage();
      const started = performance.now();
      const fit = await fitMmm(data, config, { ...settings, progress: false });
      const wall = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      const cpuSeconds = (used.user + used.system) / 1e6;
      const summary = fit.result.summary;
      const minEss = Math.min(...summary.map((r) => r.essBulk).filter(Number.isFinite));
      const worst = [...summary].filter((r) => Number.isFinite(r.essBulk)).sort((a, b) => a.essBulk - b.essBulk).slice(0, 4).map((r) => `${r.name} ${r.essBulk.toFixed(0)} (R-hat ${r.rhat.toFixed(3)})`);
      const maxRhat = Math.max(...summary.map((r) => r.rhat).filter(Number.isFinite));
      const wEss = [0, Math.floor(T / 2), T - 1].map((t) => essBulk(wChains(fit, 'rising', t)));
      const band = logEffectivenessBand(fit, 'rising');
      let squares = 0;
      for (let t = 0; t < T; t++) squares += (band.mean[t] - truth[t]) ** 2;
      const layout = timeVaryingLayout(fit.design, fit.model.config);
      const flatSlot = layout?.slotOf[fit.design.channelNames.indexOf('flat')] ?? -1;
      const row = {
        repeat,
        method,
        parameters: fit.result.model.dim,
        cpuSeconds,
        wallSeconds: wall,
        divergences: fit.result.health.divergences,
        maxRhat,
        minEssBulk: minEss,
        lowestEss: worst,
        minEssPerCpuSecond: minEss / cpuSeconds,
        risingWEss: wEss,
        risingWEssPerCpuSecond: Math.min(...wEss) / cpuSeconds,
        risingCoverage: bandCoverage(band, truth),
        risingRmse: Math.sqrt(squares / T),
        risingTrueSd: rootMeanSquare(truth),
        flatSdMedian: median(logEffectivenessSdDraws(fit)[flatSlot]),
      };
      rows.push(row);
      console.log(
        `  ${method.padEnd(10)} dim ${row.parameters}: CPU ${cpuSeconds.toFixed(1)} s (wall ${wall.toFixed(1)} s), max R-hat ${maxRhat.toFixed(3)}, ${row.divergences} divergent; ` +
          `min bulk ESS ${minEss.toFixed(0)} (${row.minEssPerCpuSecond.toFixed(2)}/CPU s: ${worst.join(', ')}); ESS of rising's w ${wEss.map((e) => e.toFixed(0)).join('/')} (${row.risingWEssPerCpuSecond.toFixed(2)}/CPU s); ` +
          `rising band covers ${(100 * row.risingCoverage).toFixed(1)}%, RMSE ${row.risingRmse.toFixed(4)} (true sd ${row.risingTrueSd.toFixed(3)}); flat sd(w) median ${row.flatSdMedian.toFixed(4)}`,
      );
    }
  }
  const out = args.out ?? join(ROOT, 'bench', `tv-methods-${new Date().toISOString().slice(0, 10)}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), settings, adaptDelta, repeats, data: { geos: data.G, periods: T, seed: TIME_VARYING_SIMULATION_DEFAULTS.seed }, rows }, null, 2) + '\n');
  console.log(`wrote ${out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
