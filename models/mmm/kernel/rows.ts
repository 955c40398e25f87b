/**
 * Row loops shared by the kernel's blocks. They are module-level functions of typed arrays and
 * numbers so that V8 keeps every operand in a register: the same loops inside closures re-load the
 * scratch arrays from the closure on every access and measured 2-3x slower.
 */

/** sum_i x[xStart + i] y[yStart + i], i < count. */
export function dot(x: Float64Array, xStart: number, y: Float64Array, yStart: number, count: number): number {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += x[xStart + i] * y[yStart + i];
  return sum;
}

/** y[yStart + i] += scale x[xStart + i], i < count. */
export function addScaled(y: Float64Array, yStart: number, x: Float64Array, xStart: number, count: number, scale: number): void {
  for (let i = 0; i < count; i++) y[yStart + i] += scale * x[xStart + i];
}

/** y[yStart + i] = scale x[xStart + i], i < count; returns sum_i y[yStart + i]. */
export function scaleRows(x: Float64Array, xStart: number, y: Float64Array, yStart: number, count: number, scale: number): number {
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const value = scale * x[xStart + i];
    y[yStart + i] = value;
    sum += value;
  }
  return sum;
}
