/** Plain dense products in float64 (row-major Float64Arrays): A B and A A^T. */

/** The product A B of row-major [m, k] and [k, n] matrices. */
export function multiply(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  if (a.length !== m * k || b.length !== k * n) throw new Error(`multiply: shapes [${m}, ${k}] x [${k}, ${n}] do not fit ${a.length} and ${b.length} entries`);
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let l = 0; l < k; l++) {
      const ail = a[i * k + l];
      if (ail === 0) continue;
      const bRow = l * n;
      for (let j = 0; j < n; j++) out[row + j] += ail * b[bRow + j];
    }
  }
  return out;
}

/** A A^T of a row-major [m, k] matrix, [m, m]. */
export function gram(a: Float64Array, m: number, k: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) {
      let sum = 0;
      for (let l = 0; l < k; l++) sum += a[i * k + l] * a[j * k + l];
      out[i * m + j] = sum;
      out[j * m + i] = sum;
    }
  }
  return out;
}
