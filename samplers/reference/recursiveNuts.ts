/**
 * Reference implementation for tests: a plain one-chain NUTS transcribed as directly as possible from
 * Stan's base_nuts (transition and recursive build_tree with reference arguments, Stan 2.26+), plus
 * Stan's init_stepsize, random inits and the adaptive run loop, calling target.evaluate(position, 1)
 * itself. It shares only the metric, the RNG and the adaptation state machine with the batched
 * sampler, so tests can check that the generator/lockstep machinery gives the same draws bit for bit.
 * Not used by the sampler.
 */
import type { LogDensity } from '../../src/ppl/logDensity.js';
import { createRng, type Rng } from '../../src/tensor/rng.js';
import { stanAdaptationSettings, WindowedAdaptation, type AdaptationSettings } from '../adaptation/windowedAdaptation.js';
import { createMetric, type EuclideanMetric, type MetricKind } from '../metric.js';

interface Point {
  q: Float64Array;
  p: Float64Array;
  logDensity: number;
  gradient: Float64Array;
}

interface Ref<T> {
  value: T;
}

export interface ReferenceInfo {
  stepSize: number;
  treeDepth: number;
  nLeapfrog: number;
  divergent: boolean;
  energy: number;
  acceptStat: number;
  logDensity: number;
}

export class ReferenceNuts {
  private z!: Point;
  private nLeapfrog = 0;
  private sumMetroProb = 0;
  private divergent = false;
  gradientEvaluations = 0;

  constructor(
    private readonly target: LogDensity,
    public metric: EuclideanMetric,
    private readonly rng: Rng,
    public stepSize: number,
    private readonly maxDepth = 10,
    private readonly maxDeltaH = 1000,
  ) {}

  evaluate(q: Float64Array): { logDensity: number; gradient: Float64Array } {
    const result = this.target.evaluate(Float64Array.from(q), 1);
    this.gradientEvaluations += 1;
    return { logDensity: result.logDensity[0], gradient: Float64Array.from(result.gradient.subarray(0, q.length)) };
  }

  private H(z: Point): number {
    const h = -z.logDensity + this.metric.kineticEnergy(z.p);
    return Number.isNaN(h) ? Infinity : h;
  }

  private copy(z: Point): Point {
    return { q: Float64Array.from(z.q), p: Float64Array.from(z.p), logDensity: z.logDensity, gradient: Float64Array.from(z.gradient) };
  }

  /** Stan's expl_leapfrog::evolve on this.z. */
  private evolve(epsilon: number): void {
    const z = this.z;
    const n = z.q.length;
    const halfEps = epsilon / 2;
    for (let i = 0; i < n; i++) z.p[i] = z.p[i] - halfEps * -z.gradient[i];
    const v = this.metric.velocity(z.p);
    const q = new Float64Array(n);
    for (let i = 0; i < n; i++) q[i] = z.q[i] + epsilon * v[i];
    z.q = q;
    const e = this.evaluate(q);
    z.logDensity = e.logDensity;
    z.gradient = e.gradient;
    for (let i = 0; i < n; i++) z.p[i] = z.p[i] - halfEps * -z.gradient[i];
  }

  private criterion(pSharpMinus: Float64Array, pSharpPlus: Float64Array, rho: Float64Array): boolean {
    let plus = 0;
    let minus = 0;
    for (let i = 0; i < rho.length; i++) plus += pSharpPlus[i] * rho[i];
    for (let i = 0; i < rho.length; i++) minus += pSharpMinus[i] * rho[i];
    return plus > 0 && minus > 0;
  }

  private logSumExp(a: number, b: number): number {
    if (a === -Infinity) return b;
    if (a === Infinity && b === Infinity) return Infinity;
    // log1p_exp of a non-positive argument is log1p(exp(x)).
    if (a > b) return a + Math.log1p(Math.exp(b - a));
    return b + Math.log1p(Math.exp(a - b));
  }

  private buildTree(
    depth: number,
    zPropose: Ref<Point>,
    pSharpBeg: Ref<Float64Array>,
    pSharpEnd: Ref<Float64Array>,
    rho: Float64Array,
    pBeg: Ref<Float64Array>,
    pEnd: Ref<Float64Array>,
    H0: number,
    sign: number,
    logSumWeight: Ref<number>,
  ): boolean {
    if (depth === 0) {
      this.evolve(sign * this.stepSize);
      this.nLeapfrog += 1;
      const h = this.H(this.z);
      if (h - H0 > this.maxDeltaH) this.divergent = true;
      logSumWeight.value = this.logSumExp(logSumWeight.value, H0 - h);
      if (H0 - h > 0) this.sumMetroProb += 1;
      else this.sumMetroProb += Math.exp(H0 - h);
      zPropose.value = this.copy(this.z);
      pSharpBeg.value = this.metric.velocity(this.z.p);
      pSharpEnd.value = pSharpBeg.value;
      for (let i = 0; i < rho.length; i++) rho[i] += this.z.p[i];
      pBeg.value = Float64Array.from(this.z.p);
      pEnd.value = pBeg.value;
      return !this.divergent;
    }
    const n = rho.length;
    const logSumWeightInit: Ref<number> = { value: -Infinity };
    const pInitEnd: Ref<Float64Array> = { value: new Float64Array(n) };
    const pSharpInitEnd: Ref<Float64Array> = { value: new Float64Array(n) };
    const rhoInit = new Float64Array(n);
    const validInit = this.buildTree(depth - 1, zPropose, pSharpBeg, pSharpInitEnd, rhoInit, pBeg, pInitEnd, H0, sign, logSumWeightInit);
    if (!validInit) return false;

    const zProposeFinal: Ref<Point> = { value: this.copy(this.z) };
    const logSumWeightFinal: Ref<number> = { value: -Infinity };
    const pFinalBeg: Ref<Float64Array> = { value: new Float64Array(n) };
    const pSharpFinalBeg: Ref<Float64Array> = { value: new Float64Array(n) };
    const rhoFinal = new Float64Array(n);
    const validFinal = this.buildTree(depth - 1, zProposeFinal, pSharpFinalBeg, pSharpEnd, rhoFinal, pFinalBeg, pEnd, H0, sign, logSumWeightFinal);
    if (!validFinal) return false;

    const logSumWeightSubtree = this.logSumExp(logSumWeightInit.value, logSumWeightFinal.value);
    logSumWeight.value = this.logSumExp(logSumWeight.value, logSumWeightSubtree);
    if (logSumWeightFinal.value > logSumWeightSubtree) {
      zPropose.value = zProposeFinal.value;
    } else {
      const acceptProb = Math.exp(logSumWeightFinal.value - logSumWeightSubtree);
      if (this.rng.uniform() < acceptProb) zPropose.value = zProposeFinal.value;
    }

    const rhoSubtree = new Float64Array(n);
    for (let i = 0; i < n; i++) rhoSubtree[i] = rhoInit[i] + rhoFinal[i];
    for (let i = 0; i < n; i++) rho[i] += rhoSubtree[i];
    let persist = this.criterion(pSharpBeg.value, pSharpEnd.value, rhoSubtree);
    const rhoExtended = new Float64Array(n);
    for (let i = 0; i < n; i++) rhoExtended[i] = rhoInit[i] + pFinalBeg.value[i];
    persist = this.criterion(pSharpBeg.value, pSharpFinalBeg.value, rhoExtended) && persist;
    for (let i = 0; i < n; i++) rhoExtended[i] = rhoFinal[i] + pInitEnd.value[i];
    persist = this.criterion(pSharpInitEnd.value, pSharpEnd.value, rhoExtended) && persist;
    return persist;
  }

  /** Stan's base_nuts::transition from (q, logDensity, gradient). */
  transition(q: Float64Array, logDensity: number, gradient: Float64Array): { q: Float64Array; logDensity: number; gradient: Float64Array; info: ReferenceInfo } {
    const n = q.length;
    this.z = { q: Float64Array.from(q), p: this.metric.drawMomentum(this.rng), logDensity, gradient: Float64Array.from(gradient) };
    let zFwd = this.copy(this.z);
    let zBck = this.copy(this.z);
    let zSample = this.copy(this.z);
    const zPropose: Ref<Point> = { value: this.copy(this.z) };

    const pFwdFwd: Ref<Float64Array> = { value: Float64Array.from(this.z.p) };
    const pSharpFwdFwd: Ref<Float64Array> = { value: this.metric.velocity(this.z.p) };
    const pFwdBck: Ref<Float64Array> = { value: Float64Array.from(this.z.p) };
    const pSharpFwdBck: Ref<Float64Array> = { value: pSharpFwdFwd.value };
    const pBckFwd: Ref<Float64Array> = { value: Float64Array.from(this.z.p) };
    const pSharpBckFwd: Ref<Float64Array> = { value: pSharpFwdFwd.value };
    const pBckBck: Ref<Float64Array> = { value: Float64Array.from(this.z.p) };
    const pSharpBckBck: Ref<Float64Array> = { value: pSharpFwdFwd.value };
    let rho = Float64Array.from(this.z.p);
    let logSumWeight = 0;
    const H0 = this.H(this.z);
    this.nLeapfrog = 0;
    this.sumMetroProb = 0;
    this.divergent = false;
    let depth = 0;

    while (depth < this.maxDepth) {
      let rhoFwd = new Float64Array(n);
      let rhoBck = new Float64Array(n);
      let validSubtree: boolean;
      const logSumWeightSubtree: Ref<number> = { value: -Infinity };
      if (this.rng.uniform() > 0.5) {
        this.z = this.copy(zFwd);
        rhoBck = Float64Array.from(rho);
        pBckFwd.value = pFwdFwd.value;
        pSharpBckFwd.value = pSharpFwdFwd.value;
        validSubtree = this.buildTree(depth, zPropose, pSharpFwdBck, pSharpFwdFwd, rhoFwd, pFwdBck, pFwdFwd, H0, 1, logSumWeightSubtree);
        zFwd = this.copy(this.z);
      } else {
        this.z = this.copy(zBck);
        rhoFwd = Float64Array.from(rho);
        pFwdBck.value = pBckBck.value;
        pSharpFwdBck.value = pSharpBckBck.value;
        validSubtree = this.buildTree(depth, zPropose, pSharpBckFwd, pSharpBckBck, rhoBck, pBckFwd, pBckBck, H0, -1, logSumWeightSubtree);
        zBck = this.copy(this.z);
      }
      if (!validSubtree) break;
      depth += 1;
      if (logSumWeightSubtree.value > logSumWeight) {
        zSample = zPropose.value;
      } else {
        const acceptProb = Math.exp(logSumWeightSubtree.value - logSumWeight);
        if (this.rng.uniform() < acceptProb) zSample = zPropose.value;
      }
      logSumWeight = this.logSumExp(logSumWeight, logSumWeightSubtree.value);
      rho = new Float64Array(n);
      for (let i = 0; i < n; i++) rho[i] = rhoBck[i] + rhoFwd[i];
      let persist = this.criterion(pSharpBckBck.value, pSharpFwdFwd.value, rho);
      const rhoExtended = new Float64Array(n);
      for (let i = 0; i < n; i++) rhoExtended[i] = rhoBck[i] + pFwdBck.value[i];
      persist = this.criterion(pSharpBckBck.value, pSharpFwdBck.value, rhoExtended) && persist;
      for (let i = 0; i < n; i++) rhoExtended[i] = rhoFwd[i] + pBckFwd.value[i];
      persist = this.criterion(pSharpBckFwd.value, pSharpFwdFwd.value, rhoExtended) && persist;
      if (!persist) break;
    }
    const acceptProb = this.sumMetroProb / this.nLeapfrog;
    return {
      q: zSample.q,
      logDensity: zSample.logDensity,
      gradient: zSample.gradient,
      info: {
        stepSize: this.stepSize,
        treeDepth: depth,
        nLeapfrog: this.nLeapfrog,
        divergent: this.divergent,
        energy: this.H(zSample),
        acceptStat: acceptProb,
        logDensity: zSample.logDensity,
      },
    };
  }

  /** Stan's base_hmc::init_stepsize at (q, logDensity, gradient). */
  initStepSize(q: Float64Array, logDensity: number, gradient: Float64Array): void {
    if (this.stepSize === 0 || this.stepSize > 1e7 || Number.isNaN(this.stepSize)) return;
    const trial = (): number => {
      this.z = { q: Float64Array.from(q), p: this.metric.drawMomentum(this.rng), logDensity, gradient: Float64Array.from(gradient) };
      const H0 = this.H(this.z);
      this.evolve(this.stepSize);
      return H0 - this.H(this.z);
    };
    const direction = trial() > Math.log(0.8) ? 1 : -1;
    for (;;) {
      const deltaH = trial();
      if (direction === 1 && !(deltaH > Math.log(0.8))) break;
      else if (direction === -1 && !(deltaH < Math.log(0.8))) break;
      else this.stepSize = direction === 1 ? 2 * this.stepSize : 0.5 * this.stepSize;
      if (this.stepSize > 1e7) throw new Error('Posterior is improper');
      if (this.stepSize === 0) throw new Error('No acceptably small step size');
    }
  }
}

export interface ReferenceChainOptions {
  seed: number | string;
  chain: number;
  warmup: number;
  draws: number;
  metric?: MetricKind;
  adaptDelta?: number;
  maxTreeDepth?: number;
  initRadius?: number;
  stepSize?: number;
  init?: Float64Array;
}

export interface ReferenceChainResult {
  draws: Float64Array;
  infos: ReferenceInfo[];
  stepSize: number;
  inverseMetric: Float64Array;
  gradientEvaluations: number;
}

/** One chain run the Stan way (init, init_stepsize, adaptive warmup, sampling), sequentially. */
export function referenceChain(target: LogDensity, options: ReferenceChainOptions): ReferenceChainResult {
  const dim = target.dim;
  const kind = options.metric ?? 'diag';
  const rng = createRng(options.seed, `chain:${options.chain}`);
  const settings: AdaptationSettings = { ...stanAdaptationSettings, targetAcceptance: options.adaptDelta ?? 0.8 };
  const nuts = new ReferenceNuts(target, createMetric(kind, dim), rng, options.stepSize ?? 1, options.maxTreeDepth ?? 10);

  let q: Float64Array;
  let current: { logDensity: number; gradient: Float64Array };
  if (options.init !== undefined) {
    q = Float64Array.from(options.init);
    current = nuts.evaluate(q);
  } else {
    const radius = options.initRadius ?? 2;
    for (let attempt = 0; ; attempt++) {
      if (attempt === 100) throw new Error('reference: initialization failed');
      q = new Float64Array(dim);
      for (let i = 0; i < dim; i++) q[i] = -radius + 2 * radius * rng.uniform();
      current = nuts.evaluate(q);
      if (Number.isFinite(current.logDensity) && current.gradient.every(Number.isFinite)) break;
    }
  }

  const adapter = options.warmup > 0 ? new WindowedAdaptation(kind, dim, options.warmup, nuts.stepSize, settings) : null;
  if (adapter) nuts.initStepSize(q, current.logDensity, current.gradient);
  const draws = new Float64Array(options.draws * dim);
  const infos: ReferenceInfo[] = [];
  for (let iteration = 0; iteration < options.warmup + options.draws; iteration++) {
    const next = nuts.transition(q, current.logDensity, current.gradient);
    q = next.q;
    current = { logDensity: next.logDensity, gradient: next.gradient };
    if (iteration < options.warmup && adapter) {
      const step = adapter.learn(iteration, next.info.acceptStat, [q], nuts.metric.inverseMass);
      nuts.stepSize = step.stepSize;
      if (step.inverseMass) {
        nuts.metric = createMetric(kind, dim, step.inverseMass);
        nuts.initStepSize(q, current.logDensity, current.gradient);
        adapter.restart(nuts.stepSize);
      }
      if (iteration === options.warmup - 1) nuts.stepSize = adapter.finalStepSize(nuts.stepSize);
    }
    if (iteration >= options.warmup) {
      draws.set(q, (iteration - options.warmup) * dim);
      infos.push(next.info);
    }
  }
  return {
    draws,
    infos,
    stepSize: nuts.stepSize,
    inverseMetric: Float64Array.from(nuts.metric.inverseMass),
    gradientEvaluations: nuts.gradientEvaluations,
  };
}
