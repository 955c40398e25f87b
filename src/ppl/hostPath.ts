/**
 * The host path of a compiled model: the log density and its gradient evaluated entirely in float64
 * on the host, without tensors, for models that supply `hostLogDensity` (a hand-written density with
 * its gradient in the constrained values) and whose constraints are all elementwise with a host form
 * (src/bijectors/host.ts). Per chain and coordinate: value = f(u), the log-Jacobian log f'(u) is added
 * to the density (Stan Reference Manual, "Constraint Transforms"), and the chain rule gives
 * d/du = (d log p / d value) f'(u) + d/du log f'(u).
 *
 * On wasm each tensor kernel costs microseconds whatever its size (shared/notes/tfjs-performance.md);
 * a model whose density is one host kernel anyway (the geo MMM's fused likelihood) spends most of a
 * tensor-path call on the ~120 kernels of slicing and bijectors. This path has none, computes the
 * transforms in float64 rather than float32, and gives per-chain results that do not depend on how
 * many chains are evaluated together.
 */
import type { HostElementwise } from '../bijectors/host.js';
import type { LogDensityResult } from './logDensity.js';
import type { HostLogDensity } from './model.js';
import type { ParameterLayout } from './compile.js';

export interface HostPath {
  evaluate(positions: Float64Array, chains: number): LogDensityResult;
  /** Constrained values per parameter, [chains, size] row-major. */
  constrain(positions: Float64Array, chains: number): Record<string, Float64Array>;
  /** Unconstrained coordinates of one parameter's constrained values. */
  unconstrainParameter(name: string, values: readonly number[]): Float64Array;
}

/** Why the host path cannot be used for this layout, or undefined when it can. */
export function hostPathObstacle(layout: readonly ParameterLayout[], density: HostLogDensity): string | undefined {
  for (const p of layout) {
    if (p.spec.prior) return `parameter "${p.name}" declares its prior separately`;
    if (p.spec.constraint && !p.spec.constraint.host) return `constraint "${p.spec.constraint.name}" of "${p.name}" has no host form`;
    if (p.spec.constraint && p.unconstrainedSize !== p.size) return `constraint of "${p.name}" is not elementwise`;
  }
  const names = new Set(layout.map((p) => p.name));
  const unknown = density.inputNames.find((name) => !names.has(name));
  return unknown === undefined ? undefined : `host log density reads unknown parameter "${unknown}"`;
}

const IDENTITY: HostElementwise = {
  value: (u) => u,
  logDerivative: () => 0,
  derivative: () => 1,
  logDerivativeSlope: () => 0,
  inverse: (value) => value,
};

export function createHostPath(modelName: string, layout: readonly ParameterLayout[], dim: number, density: HostLogDensity): HostPath {
  const obstacle = hostPathObstacle(layout, density);
  if (obstacle) throw new Error(`${modelName}: host path unavailable: ${obstacle}`);
  const transforms = layout.map((p) => p.spec.constraint?.host ?? IDENTITY);
  const byName = new Map(layout.map((p, i) => [p.name, i]));
  const inputLayout = density.inputNames.map((name) => byName.get(name) as number);
  let values: Float64Array[] = [];
  let batch = -1;

  function resize(chains: number): void {
    if (chains === batch) return;
    batch = chains;
    values = layout.map((p) => new Float64Array(chains * p.size));
  }

  function fill(positions: Float64Array, chains: number, logJacobian?: Float64Array): void {
    for (let i = 0; i < layout.length; i++) {
      const { offset, size } = layout[i];
      const transform = transforms[i];
      const out = values[i];
      for (let c = 0; c < chains; c++) {
        let sum = 0;
        for (let j = 0; j < size; j++) {
          const u = positions[c * dim + offset + j];
          out[c * size + j] = transform.value(u);
          if (logJacobian) sum += transform.logDerivative(u);
        }
        if (logJacobian) logJacobian[c] += sum;
      }
    }
  }

  function evaluate(positions: Float64Array, chains: number): LogDensityResult {
    if (positions.length !== chains * dim) throw new Error(`${modelName}: expected ${chains}x${dim} positions, got ${positions.length} values`);
    resize(chains);
    const logDensity = new Float64Array(chains);
    fill(positions, chains, logDensity);
    const result = density.valueAndGradient(inputLayout.map((i) => values[i]), chains);
    const gradient = new Float64Array(chains * dim);
    for (let k = 0; k < inputLayout.length; k++) {
      const i = inputLayout[k];
      const { offset, size } = layout[i];
      const transform = transforms[i];
      const valueGradient = result.gradients[k];
      for (let c = 0; c < chains; c++) {
        for (let j = 0; j < size; j++) {
          const u = positions[c * dim + offset + j];
          gradient[c * dim + offset + j] = valueGradient[c * size + j] * transform.derivative(u);
        }
      }
    }
    for (let i = 0; i < layout.length; i++) {
      const { offset, size } = layout[i];
      const transform = transforms[i];
      if (transform === IDENTITY) continue;
      for (let c = 0; c < chains; c++) {
        for (let j = 0; j < size; j++) gradient[c * dim + offset + j] += transform.logDerivativeSlope(positions[c * dim + offset + j]);
      }
    }
    for (let c = 0; c < chains; c++) {
      const total = logDensity[c] + result.logDensity[c];
      logDensity[c] = Number.isNaN(total) ? -Infinity : total;
    }
    return { logDensity, gradient };
  }

  function constrain(positions: Float64Array, chains: number): Record<string, Float64Array> {
    resize(chains);
    fill(positions, chains);
    const out: Record<string, Float64Array> = {};
    layout.forEach((p, i) => (out[p.name] = Float64Array.from(values[i])));
    return out;
  }

  function unconstrainParameter(name: string, given: readonly number[]): Float64Array {
    const i = byName.get(name);
    if (i === undefined) throw new Error(`${modelName}: unknown parameter "${name}"`);
    return Float64Array.from(given, (value) => transforms[i].inverse(value));
  }

  return { evaluate, constrain, unconstrainParameter };
}
