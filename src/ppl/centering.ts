/**
 * Centered sampling of non-centered hierarchical effects, as a change of the sampler's coordinates.
 *
 * A model states a hierarchical effect non-centered, effect = location + scale * z with z ~ N(0, 1)
 * a parameter. Which form samples better depends on how strongly the data identify each effect
 * (Papaspiliopoulos, Roberts & Skold 2007, "A general framework for the parametrization of
 * hierarchical models", Statistical Science 22; Betancourt & Girolami 2015, "Hamiltonian Monte Carlo
 * for hierarchical models"): centered where the data are informative, non-centered where they are
 * not. Rather than a second model, a `CenteringBlock` makes the sampler move, for chosen elements
 * of z, in the coordinate c = location + scale * z instead of z (the other coordinates unchanged).
 * With x the model's unconstrained vector (location and z unconstrained, scale = exp(x_scale), the
 * `positive` constraint) and y the sampler's:
 *
 *   x_z = (y_c - y_location) / exp(y_scale),   every other x = y
 *   log p_y(y) = log p_x(x(y)) + log |det dx/dy| = log p_x(x(y)) - sum_i y_scale(i)
 *   d/dy_c        = g_z / scale
 *   d/dy_location += -g_z / scale
 *   d/dy_scale    += -g_z * z - 1
 *
 * summed over the centered elements i (g = the gradient in x). The posterior is the same; draws
 * are mapped back to x, so every reported parameter keeps its name and meaning. The Jacobian
 * formula is the one of Stan Reference Manual, "Change of variables".
 *
 * An element may also be partially centered with a weight w in (0, 1] (Papaspiliopoulos, Roberts &
 * Skold 2007, section 4's partially non-centred parametrisation; Gorinova, Moore & Hoffman 2020,
 * "Automatic reparameterisation of probabilistic programs", the VIP form): the sampler moves
 * c = w location + scale^w z, between the non-centered z (w = 0) and the centered effect (w = 1):
 *
 *   x_z = (y_c - w y_location) exp(-w y_scale),   log |det dx/dy| = -sum_i w y_scale(i)
 *   d/dy_c        = g_z exp(-w y_scale)
 *   d/dy_location += -w g_z exp(-w y_scale)
 *   d/dy_scale    += -w (g_z z + 1)
 *
 * With w = 1 this is the arithmetic above, bit for bit.
 */

/** One group of non-centered effect elements to sample centered. */
export interface CenteringBlock {
  /** Standardized effect parameter (unconstrained, prior N(0, 1)), e.g. 'u'. */
  readonly effect: string;
  /** Location parameter (unconstrained), e.g. 'm'. */
  readonly location: string;
  /** Scale parameter, with the `positive` (exp) constraint, e.g. 'eta'. */
  readonly scale: string;
  /**
   * Centered elements: flat index into the effect parameter, with the flat index of its location
   * and scale elements.
   */
  readonly elements: readonly { readonly effect: number; readonly location: number; readonly scale: number; readonly weight?: number }[];
}

/** Centered elements as offsets into the unconstrained vector, with each one's weight w in (0, 1]. */
export interface CenteringMap {
  readonly effect: Int32Array;
  readonly location: Int32Array;
  readonly scale: Int32Array;
  readonly weight: Float64Array;
}

/** Where each parameter's unconstrained coordinates start, with its size and constraint name. */
export interface CenteringLayoutEntry {
  readonly name: string;
  readonly offset: number;
  readonly unconstrainedSize: number;
  readonly constraint?: string;
}

/** Resolve blocks against a layout; throws on an unknown parameter, a constrained effect or location, a scale not `positive`, an index out of range or an element centered twice. */
export function resolveCentering(modelName: string, blocks: readonly CenteringBlock[], layout: readonly CenteringLayoutEntry[]): CenteringMap {
  const byName = new Map(layout.map((p) => [p.name, p]));
  const effect: number[] = [];
  const location: number[] = [];
  const scale: number[] = [];
  const weight: number[] = [];
  const seen = new Set<number>();
  const find = (name: string, role: string, constraint: string | undefined) => {
    const entry = byName.get(name);
    if (!entry) throw new Error(`${modelName}: centering: no parameter "${name}" (${role})`);
    if (entry.constraint !== constraint) {
      throw new Error(`${modelName}: centering: ${role} "${name}" must be ${constraint === undefined ? 'unconstrained' : `"${constraint}"`}, it is ${entry.constraint === undefined ? 'unconstrained' : `"${entry.constraint}"`}`);
    }
    return entry;
  };
  const at = (entry: CenteringLayoutEntry, index: number) => {
    if (!(Number.isInteger(index) && index >= 0 && index < entry.unconstrainedSize)) {
      throw new Error(`${modelName}: centering: element ${index} of "${entry.name}" is out of range (size ${entry.unconstrainedSize})`);
    }
    return entry.offset + index;
  };
  for (const block of blocks) {
    const e = find(block.effect, 'effect', undefined);
    const l = find(block.location, 'location', undefined);
    const s = find(block.scale, 'scale', 'positive');
    if (block.location === block.effect) throw new Error(`${modelName}: centering: the location of "${block.effect}" cannot be the effect itself`);
    for (const element of block.elements) {
      const index = at(e, element.effect);
      if (seen.has(index)) throw new Error(`${modelName}: centering: element ${element.effect} of "${block.effect}" is centered twice`);
      seen.add(index);
      const w = element.weight ?? 1;
      if (!(w > 0 && w <= 1)) throw new Error(`${modelName}: centering: element ${element.effect} of "${block.effect}" has weight ${w}; a weight is in (0, 1] (1 = centered)`);
      weight.push(w);
      effect.push(index);
      location.push(at(l, element.location));
      scale.push(at(s, element.scale));
    }
  }
  return { effect: Int32Array.from(effect), location: Int32Array.from(location), scale: Int32Array.from(scale), weight: Float64Array.from(weight) };
}

/** Model coordinates x from sampler coordinates y, [chains, dim] row-major (a new array). */
export function modelCoordinates(map: CenteringMap, samplerPositions: Float64Array, chains: number, dim: number): Float64Array {
  const x = Float64Array.from(samplerPositions);
  for (let c = 0; c < chains; c++) {
    const row = c * dim;
    for (let i = 0; i < map.effect.length; i++) {
      const w = map.weight[i];
      x[row + map.effect[i]] = (samplerPositions[row + map.effect[i]] - w * samplerPositions[row + map.location[i]]) * Math.exp(-w * samplerPositions[row + map.scale[i]]);
    }
  }
  return x;
}

/** Sampler coordinates y from model coordinates x, [chains, dim] row-major (a new array). */
export function samplerCoordinates(map: CenteringMap, modelPositions: Float64Array, chains: number, dim: number): Float64Array {
  const y = Float64Array.from(modelPositions);
  for (let c = 0; c < chains; c++) {
    const row = c * dim;
    for (let i = 0; i < map.effect.length; i++) {
      const w = map.weight[i];
      y[row + map.effect[i]] = w * modelPositions[row + map.location[i]] + Math.exp(w * modelPositions[row + map.scale[i]]) * modelPositions[row + map.effect[i]];
    }
  }
  return y;
}

/**
 * Log density and gradient in sampler coordinates from those in model coordinates (x = the model
 * coordinates of the same points). Writes into new arrays.
 */
export function pullBack(
  map: CenteringMap,
  modelPositions: Float64Array,
  samplerPositions: Float64Array,
  logDensity: Float64Array,
  gradient: Float64Array,
  chains: number,
  dim: number,
): { logDensity: Float64Array; gradient: Float64Array } {
  const outDensity = Float64Array.from(logDensity);
  const outGradient = Float64Array.from(gradient);
  for (let c = 0; c < chains; c++) {
    const row = c * dim;
    let logJacobian = 0;
    for (let i = 0; i < map.effect.length; i++) {
      const w = map.weight[i];
      const logScale = samplerPositions[row + map.scale[i]];
      const effectGradient = gradient[row + map.effect[i]];
      const weighted = effectGradient * Math.exp(-w * logScale);
      outGradient[row + map.effect[i]] = weighted;
      outGradient[row + map.location[i]] -= w * weighted;
      outGradient[row + map.scale[i]] -= w * (effectGradient * modelPositions[row + map.effect[i]] + 1);
      logJacobian -= w * logScale;
    }
    outDensity[c] = logDensity[c] + logJacobian;
  }
  return { logDensity: outDensity, gradient: outGradient };
}
