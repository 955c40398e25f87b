/**
 * Scratch benchmark of the fused likelihood (likelihoodOp.ts), without and with the priors fused
 * in, against the tensor formulation (geoModel.ts): microseconds per `evaluate` call (value and
 * gradient of the whole log density through src/ppl) for 1, 4 and 16 chains, the host kernel's own
 * share (float64 forward plus backward without tfjs), and the number of tfjs kernels per gradient
 * (tf.profile). Median of timed calls after a warm-up of at least 200 calls and 2 seconds (V8 and
 * wasm warm-up is slow); the variants' calls are interleaved so that other jobs on a shared machine
 * slow them alike. The load average is printed; treat differences under ~30% as noise.
 *
 *   npx tsx models/mmm/fused/bench.ts [calls=300]
 *
 * Data: examples/national.csv, examples/geo.csv and, when present, ../shared/bench/stan/data/geo-20.csv.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { loadMmmData, scaleData } from '../../../src/data/index.js';
import { compile, type CompiledModel } from '../../../src/ppl/index.js';
import { createRng, initBackend, tf } from '../../../src/tensor/index.js';
import { DEFAULT_MODEL_CONFIG } from '../config.js';
import { designFromData, type MmmDesign } from '../design.js';
import { createGeoMmm } from '../geoModel.js';
import { createLikelihoodHost } from './likelihoodHost.js';

const timedCalls = Number(process.argv[2] ?? 300);
const WARMUP_CALLS = 200;
const WARMUP_SECONDS = 2;

type Variant = 'tensor' | 'fused' | 'fusedPriors';
const VARIANTS: readonly Variant[] = ['tensor', 'fused', 'fusedPriors'];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = (sorted.length - 1) / 2;
  return 0.5 * (sorted[Math.floor(mid)] + sorted[Math.ceil(mid)]);
}

/** Median microseconds per call of each function, calls interleaved so that load from other jobs hits all alike. */
function timeInterleaved(calls: readonly (() => void)[]): number[] {
  const start = performance.now();
  for (let i = 0; i < WARMUP_CALLS || performance.now() - start < WARMUP_SECONDS * 1e3; i++) calls.forEach((call) => call());
  const samples = calls.map(() => [] as number[]);
  for (let i = 0; i < timedCalls; i++) {
    calls.forEach((call, j) => {
      const t0 = performance.now();
      call();
      samples[j].push((performance.now() - t0) * 1e3);
    });
  }
  return samples.map(median);
}

async function kernelCount(model: CompiledModel, positions: Float64Array, chains: number): Promise<number> {
  const info = await tf.profile(() => {
    model.evaluate(positions, chains);
  });
  return info.kernels.length;
}

async function datasets(): Promise<[string, MmmDesign][]> {
  const out: [string, MmmDesign][] = [];
  for (const name of ['national', 'geo']) {
    const spec = JSON.parse(readFileSync(`examples/${name}.config.json`, 'utf8')).data;
    const data = await loadMmmData(`examples/${name}.csv`, spec);
    out.push([`examples/${name}`, designFromData(data, scaleData(data))]);
  }
  const geo20 = '../shared/bench/stan/data/geo-20.csv';
  if (existsSync(geo20)) {
    const data = await loadMmmData(geo20);
    out.push(['geo-20', designFromData(data, scaleData(data))]);
  } else {
    console.log(`(skipping geo-20: ${geo20} not found)`);
  }
  return out;
}

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const backend = await initBackend();
console.log(`backend ${backend.name}; load average ${load()}; ${timedCalls} timed calls each, interleaved`);
console.log('us per evaluate call [per chain]; kernels per gradient (tf.profile); host = fused float64 forward + backward alone (with priors)');
console.log('| data (G x T x C, dim) | chains | tensor | fused likelihood | fused likelihood + priors | speed-up (fused / +priors) | host | kernels tensor / fused / +priors |');
console.log('|---|---|---|---|---|---|---|---|');
for (const [name, design] of await datasets()) {
  const compiled = {} as Record<Variant, CompiledModel>;
  for (const variant of VARIANTS) {
    const options = variant === 'tensor' ? { likelihoodKernel: 'tensor' as const } : { likelihoodKernel: 'fused' as const, fusedPriors: variant === 'fusedPriors' };
    compiled[variant] = compile(createGeoMmm(design, DEFAULT_MODEL_CONFIG, options).definition);
  }
  const host = createLikelihoodHost(design, DEFAULT_MODEL_CONFIG, { priors: true });
  const dim = compiled.tensor.dim;
  for (const chains of [1, 4, 16]) {
    const rng = createRng(3, `${name}${chains}`);
    const positions = Float64Array.from({ length: chains * dim }, () => 1.6 * rng.uniform() - 0.8);
    const constrained = compiled.tensor.constrain(positions, chains);
    const values = host.inputNames.map((n) => Float64Array.from(constrained[n]));
    const dy = new Float64Array(chains * host.outputWidth).fill(1);
    const [tensorUs, fusedUs, fusedPriorsUs, hostUs] = timeInterleaved([
      ...VARIANTS.map((variant) => () => {
        compiled[variant].evaluate(positions, chains);
      }),
      () => {
        host.forward(values, chains);
        host.backward(dy);
      },
    ]);
    const kernels: number[] = [];
    for (const variant of VARIANTS) kernels.push(await kernelCount(compiled[variant], positions, chains));
    const { geos: G, periods: T, channels: C } = host.data;
    const cell = (us: number) => `${us.toFixed(0)} [${(us / chains).toFixed(0)}]`;
    console.log(
      `| ${name} (${G}x${T}x${C}, ${dim}) | ${chains} | ${cell(tensorUs)} | ${cell(fusedUs)} | ${cell(fusedPriorsUs)} | ${(tensorUs / fusedUs).toFixed(1)}x / ${(tensorUs / fusedPriorsUs).toFixed(1)}x | ${hostUs.toFixed(0)} | ${kernels.join(' / ')} |`,
    );
  }
  for (const variant of VARIANTS) compiled[variant].dispose();
}
console.log(`load average after: ${load()}`);
