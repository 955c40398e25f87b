/**
 * Gradient cost of time-varying media effectiveness (model.timeVarying, issue 22): the compiled geo
 * MMM's log density and gradient (compile(createGeoMmm(...).definition).evaluate, the call the
 * sampler makes) on the Stan peer's geo-20 data, static reference config vs the same with
 * model.timeVarying {channels: "all"} (the default HSGP) and with {channels: "all", method:
 * "randomWalk"} (default grid), in one process: the models are timed in alternation (forward order
 * in even rounds, reversed in odd ones, --rounds rounds), so load from other jobs on the shared
 * machine falls on all alike. The design is built by fitDesign, as fitMmm builds it.
 *
 *   npx tsx scripts/bench/timeVaryingGradient.ts [--chains 1,2,4] [--rounds 4] [--quick] [--out file.json]
 *
 * Prints per chain count the median wall and CPU microseconds per call and per chain-gradient of each
 * model (median over rounds of each round's median / CPU mean) and its ratio to static; with --out
 * writes them as JSON. Needs ../shared/bench/stan/data/geo-20.csv (exits 0 with a message without).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMmmData } from '../../src/data/index.js';
import { fitDesign } from '../../src/mmm/fit.js';
import { parseRunConfig, type RunConfig } from '../../src/index.js';
import { compile, type CompiledModel } from '../../src/ppl/index.js';
import { createRng, initBackend } from '../../src/tensor/index.js';
import { createGeoMmm } from '../../models/mmm/index.js';
import { Flags, FULL_BUDGET, QUICK_BUDGET } from './options.js';
import { median, timeCalls } from './timing.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DATA = join(ROOT, '..', 'shared', 'bench', 'stan', 'data', 'geo-20.csv');

interface Variant {
  readonly label: string;
  readonly compiled: CompiledModel;
}

interface Measured {
  readonly label: string;
  readonly chains: number;
  readonly dim: number;
  /** Median over rounds of the round's median wall microseconds per call. */
  readonly usPerCall: number;
  /** Median over rounds of the round's CPU microseconds per call (process, all threads). */
  readonly cpuUsPerCall: number;
  readonly rounds: readonly { readonly usPerCall: number; readonly cpuUsPerCall: number; readonly calls: number }[];
}

function positions(label: string, dim: number, chains: number): Float64Array {
  const rng = createRng(20240601, `tv-gradient:${label}:${chains}`);
  return Float64Array.from({ length: chains * dim }, () => rng.uniform() - 0.5);
}

async function main(): Promise<number> {
  const flags = new Flags(process.argv.slice(2));
  if (!existsSync(DATA)) {
    process.stdout.write(`${DATA} not found; nothing to do\n`);
    return 0;
  }
  const chainCounts = flags.integers('chains') ?? [1, 2, 4];
  const rounds = flags.integers('rounds')?.[0] ?? 4;
  const budget = flags.has('quick') ? QUICK_BUDGET : FULL_BUDGET;
  const backend = await initBackend();
  const configs: readonly (readonly [string, RunConfig])[] = [
    ['static', parseRunConfig({}, 'reference config')],
    ['hsgp', parseRunConfig({ model: { timeVarying: { channels: 'all' } } }, 'reference config + model.timeVarying hsgp')],
    ['randomWalk', parseRunConfig({ model: { timeVarying: { channels: 'all', method: 'randomWalk' } } }, 'reference config + model.timeVarying randomWalk')],
  ];
  const data = await loadMmmData(DATA, configs[0][1].data);
  const variants: Variant[] = configs.map(([label, config]) => {
    const { runConfig, design } = fitDesign(config, data);
    return { label, compiled: compile(createGeoMmm(design, runConfig.model).definition) };
  });
  process.stdout.write(
    `geo-20 G=${data.G} T=${data.T} C=${data.C}; backend ${backend.name}; ` +
      variants.map((v) => `${v.label}: dim ${v.compiled.dim}, path ${String((v.compiled as unknown as { path?: string }).path ?? '?')}`).join('; ') +
      `; ${rounds} rounds, order reversed every other round\n`,
  );
  // process warm-up: JIT of both models' code before any timing
  for (const v of variants) {
    const x = positions(v.label, v.compiled.dim, 1);
    const start = performance.now();
    while (performance.now() - start < budget.processWarmupSeconds * 1e3) v.compiled.evaluate(x, 1);
  }
  const results: Measured[] = [];
  for (const chains of chainCounts) {
    const perVariant = new Map<string, { usPerCall: number; cpuUsPerCall: number; calls: number }[]>(variants.map((v) => [v.label, []]));
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? variants : [...variants].reverse();
      for (const v of order) {
        const x = positions(v.label, v.compiled.dim, chains);
        const first = v.compiled.evaluate(x, chains);
        if (!first.logDensity.every(Number.isFinite) || !first.gradient.every(Number.isFinite)) throw new Error(`${v.label}: non-finite log density or gradient at the bench point`);
        const timed = timeCalls(() => v.compiled.evaluate(x, chains), budget);
        perVariant.get(v.label)!.push({ usPerCall: timed.usPerCall.median, cpuUsPerCall: timed.cpuUsPerCall, calls: timed.calls });
      }
    }
    for (const v of variants) {
      const list = perVariant.get(v.label)!;
      results.push({ label: v.label, chains, dim: v.compiled.dim, usPerCall: median(list.map((x) => x.usPerCall)), cpuUsPerCall: median(list.map((x) => x.cpuUsPerCall)), rounds: list });
    }
    const [s, ...others] = results.slice(-variants.length);
    process.stdout.write(`chains ${chains}: static ${s.usPerCall.toFixed(0)} us/call (CPU ${s.cpuUsPerCall.toFixed(0)}), dim ${s.dim}\n`);
    for (const t of others) {
      process.stdout.write(
        `  ${t.label}: ${t.usPerCall.toFixed(0)} us/call (CPU ${t.cpuUsPerCall.toFixed(0)}), dim ${t.dim}; / static: wall ${(t.usPerCall / s.usPerCall).toFixed(3)}, CPU ${(t.cpuUsPerCall / s.cpuUsPerCall).toFixed(3)}; ` +
          `per-round wall ratios ${s.rounds.map((x, i) => (t.rounds[i].usPerCall / x.usPerCall).toFixed(2)).join(' ')}\n`,
      );
    }
  }
  const out = flags.string('out');
  if (out) {
    writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), data: relative(ROOT, DATA), backend: backend.name, rounds, budget, results }, null, 2) + '\n');
    process.stdout.write(`written ${out}\n`);
  }
  return 0;
}

process.exitCode = await main();
