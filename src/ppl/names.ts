/**
 * Flat names for the elements of array-valued quantities, following Stan and posteriordb:
 * 1-based, row-major, `theta[3]`, `Sigma[1,2]`; scalars keep their name.
 */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, extent) => product * extent, 1);
}

export function flatNames(name: string, shape: readonly number[]): string[] {
  if (shape.length === 0) return [name];
  const count = elementCount(shape);
  const names: string[] = new Array(count);
  const index = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < count; flat++) {
    names[flat] = `${name}[${index.map((i) => i + 1).join(',')}]`;
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      if (++index[axis] < shape[axis]) break;
      index[axis] = 0;
    }
  }
  return names;
}
