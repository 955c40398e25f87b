/**
 * One backend's half of `npm run bench`: per-gradient cost of the geo MMM's log density
 * (compile(definition).evaluate, src/ppl/compile.ts) for batches of chains. tfjs holds one backend
 * per process, so scripts/bench.ts runs this once per backend in a child process and reads the
 * line starting with RESULT_PREFIX from its stdout (tfjs itself may print to stdout too);
 * progress goes to stderr.
 *
 *   tsx scripts/bench/gradient.ts --backend wasm --models geo-example,geo-20 --chains 1,4,16 [--quick] [--profile geo-20:16]
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseBackendName, initBackend, tf, createRng, liveTensorCount } from '../../src/tensor/index.js';
import { countKernels, profileGradient } from './kernels.js';
import { benchModels, loadBenchModel, modelFileExists, type BenchModel, type LoadedModel } from './models.js';
import { DEFAULT_CHAINS, FULL_BUDGET, Flags, QUICK_BUDGET, RESULT_PREFIX, type TimingBudget } from './options.js';
import { timeCalls } from './timing.js';
import type { BackendRun, CaseResult, ProfileResult } from './types.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A fixed, seeded benchmark point per (model, chains): unconstrained coordinates in [-0.5, 0.5]. */
function benchPositions(modelId: string, dim: number, chains: number): Float64Array {
  const rng = createRng(20240601, `bench:${modelId}:${chains}`);
  return Float64Array.from({ length: chains * dim }, () => rng.uniform() - 0.5);
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function backendDetail(name: string): Promise<Record<string, string | number | boolean>> {
  const detail: Record<string, string | number | boolean> = { backend: tf.getBackend() };
  if (name === 'wasm') {
    detail.simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    detail.multithread = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
  }
  return detail;
}

async function benchCase(model: BenchModel, loaded: LoadedModel, chains: number, beforeModel: number, budget: TimingBudget): Promise<CaseResult> {
  const { compiled, data } = loaded;
  const positions = benchPositions(model.id, compiled.dim, chains);
  const first = compiled.evaluate(positions, chains);
  const finite = first.logDensity.every(Number.isFinite) && first.gradient.every(Number.isFinite);
  const before = liveTensorCount();
  const timed = timeCalls(() => compiled.evaluate(positions, chains), budget);
  const kernels = await countKernels(compiled, positions, chains);
  const after = liveTensorCount();
  return {
    model: model.id,
    file: model.file,
    G: data.G,
    T: data.T,
    C: data.C,
    K: data.K,
    dim: compiled.dim,
    chains,
    warmupCalls: timed.warmupCalls,
    calls: timed.calls,
    seconds: timed.seconds,
    usPerCall: timed.usPerCall,
    usPerChainGradient: timed.usPerCall.median / chains,
    cpuUsPerCall: timed.cpuUsPerCall,
    cpuUsPerChainGradient: timed.cpuUsPerCall / chains,
    kernelsPerGradient: kernels.gradient,
    forwardKernels: kernels.forward,
    liveTensors: { beforeModel, before, after, afterDispose: Number.NaN },
    finite,
  };
}

async function main(): Promise<BackendRun> {
  const flags = new Flags(process.argv.slice(2));
  const backendArg = flags.string('backend');
  if (!backendArg) throw new Error('--backend is required');
  const backend = parseBackendName(backendArg, '--backend');
  const budget = flags.has('quick') ? QUICK_BUDGET : FULL_BUDGET;
  const chainCounts = flags.integers('chains') ?? [...DEFAULT_CHAINS];
  const all = benchModels(root);
  const wanted = flags.list('models') ?? all.filter((m) => !m.optIn).map((m) => m.id);
  const profileArg = flags.string('profile'); // "<model>:<chains>"

  try {
    await initBackend(backend);
  } catch (error) {
    return { backend, status: 'skipped', reason: (error as Error).message, results: [], errors: [], skippedModels: [] };
  }
  const tfjsVersion = tf.version['tfjs-core'];
  const detail = await backendDetail(backend);
  const results: CaseResult[] = [];
  const errors: { model: string; chains?: number; message: string }[] = [];
  const skippedModels: { model: string; reason: string }[] = [];
  let profile: ProfileResult | undefined;
  let processWarmedUp = false;

  for (const id of wanted) {
    const model = all.find((m) => m.id === id);
    if (!model) throw new Error(`--models: unknown model "${id}"; known: ${all.map((m) => m.id).join(', ')}`);
    if (!modelFileExists(root, model)) {
      skippedModels.push({ model: id, reason: `${model.file} not found` });
      continue;
    }
    const beforeModel = liveTensorCount();
    let loaded: LoadedModel;
    try {
      loaded = await loadBenchModel(root, model);
    } catch (error) {
      errors.push({ model: id, message: (error as Error).message });
      continue;
    }
    if (!processWarmedUp) {
      // The first model measured would otherwise also pay for the JIT of tfjs's engine and kernels.
      const positions = benchPositions(id, loaded.compiled.dim, 1);
      const start = performance.now();
      while (performance.now() - start < budget.processWarmupSeconds * 1e3) loaded.compiled.evaluate(positions, 1);
      processWarmedUp = true;
    }
    const caseResults: CaseResult[] = [];
    for (const chains of chainCounts) {
      try {
        const result = await benchCase(model, loaded, chains, beforeModel, budget);
        caseResults.push(result);
        log(
          `  ${backend} ${id} D=${result.dim} chains=${chains}: ${result.usPerCall.median.toFixed(0)} us/call, ` +
            `${result.usPerChainGradient.toFixed(0)} us/chain-gradient, ${result.kernelsPerGradient} kernels (${result.calls} calls)`,
        );
      } catch (error) {
        errors.push({ model: id, chains, message: (error as Error).message });
      }
    }
    if (profileArg) {
      const [profileModel, profileChains] = profileArg.split(':');
      const chains = Number(profileChains);
      if (profileModel === id && loaded.compiled.path === 'host') {
        log(`  ${backend} ${id}: the host path runs no tensor kernels; nothing for tf.profile (profile the CPU with node --cpu-prof instead)`);
      } else if (profileModel === id) {
        const positions = benchPositions(id, loaded.compiled.dim, chains);
        const wallUs = caseResults.find((r) => r.chains === chains)?.usPerCall.median ?? timeCalls(() => loaded.compiled.evaluate(positions, chains), budget).usPerCall.median;
        profile = await profileGradient(loaded.compiled, id, backend, positions, chains, budget.profileRuns, wallUs);
        log(`  ${backend} ${id} chains=${chains}: profiled ${profile.runs} calls, ${profile.kernels} kernels, kernel time ${profile.kernelUs.toFixed(0)} us of ${wallUs.toFixed(0)} us`);
      }
    }
    loaded.compiled.dispose();
    const afterDispose = liveTensorCount();
    for (const r of caseResults) results.push({ ...r, liveTensors: { ...r.liveTensors, afterDispose } });
  }
  return { backend, status: 'ok', tfjsVersion, detail, results, errors, skippedModels, profile };
}

main()
  .then((run) => {
    process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(run)}\n`);
  })
  .catch((error: Error) => {
    const named = process.argv.find((a, i) => process.argv[i - 1] === '--backend') ?? process.argv.find((a) => a.startsWith('--backend='))?.slice(10);
    const run: BackendRun = { backend: named ?? 'unknown', status: 'failed', reason: error.stack ?? error.message, results: [], errors: [], skippedModels: [] };
    process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(run)}\n`);
    process.exitCode = 1;
  });
