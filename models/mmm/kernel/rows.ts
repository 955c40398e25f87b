/**
 * Row loops shared by the kernel's blocks. They are module-level functions of typed arrays and
 * numbers so that V8 keeps every operand in a register: the same loops inside closures re-load the
 * scratch arrays from the closure on every access and measured 2-3x slower. They take two elements
 * per iteration, both loaded before either is used: V8's optimized loop re-checks each array
 * operand (map, bounds, detached buffer) on every iteration, which for loops this short costs more
 * than the arithmetic (addToMean measured 0.6x of its one-element loop). Sums keep their order.
 */

/** sum_i x[xStart + i] y[yStart + i], i < count. */
export function dot(x: Float64Array, xStart: number, y: Float64Array, yStart: number, count: number): number {
  let sum = 0;
  let i = 0;
  for (; i + 1 < count; i += 2) {
    const first = x[xStart + i] * y[yStart + i];
    const second = x[xStart + i + 1] * y[yStart + i + 1];
    sum += first;
    sum += second;
  }
  if (i < count) sum += x[xStart + i] * y[yStart + i];
  return sum;
}

/** y[yStart + i] += scale x[xStart + i], i < count. */
export function addScaled(y: Float64Array, yStart: number, x: Float64Array, xStart: number, count: number, scale: number): void {
  let i = 0;
  for (; i + 1 < count; i += 2) {
    const first = x[xStart + i];
    const second = x[xStart + i + 1];
    y[yStart + i] += scale * first;
    y[yStart + i + 1] += scale * second;
  }
  if (i < count) y[yStart + i] += scale * x[xStart + i];
}

/** y[yStart + i] = scale x[xStart + i], i < count; returns sum_i y[yStart + i]. */
export function scaleRows(x: Float64Array, xStart: number, y: Float64Array, yStart: number, count: number, scale: number): number {
  let sum = 0;
  let i = 0;
  for (; i + 1 < count; i += 2) {
    const first = scale * x[xStart + i];
    const second = scale * x[xStart + i + 1];
    y[yStart + i] = first;
    y[yStart + i + 1] = second;
    sum += first;
    sum += second;
  }
  if (i < count) {
    const value = scale * x[xStart + i];
    y[yStart + i] = value;
    sum += value;
  }
  return sum;
}

/** y[yStart + i] = scale x[xStart + i], i < count. */
export function scaleInto(y: Float64Array, yStart: number, x: Float64Array, xStart: number, count: number, scale: number): void {
  let i = 0;
  for (; i + 1 < count; i += 2) {
    const first = x[xStart + i];
    const second = x[xStart + i + 1];
    y[yStart + i] = scale * first;
    y[yStart + i + 1] = scale * second;
  }
  if (i < count) y[yStart + i] = scale * x[xStart + i];
}
