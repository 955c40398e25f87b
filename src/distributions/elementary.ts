/**
 * exp and log in float64 for hot host loops (the fused MMM kernel evaluates one of each per
 * geo x week x channel cell and gradient). V8 compiles Math.exp and Math.log to calls into its
 * fdlibm port (about 15-19 ns each on this machine); these are plain arithmetic that TurboFan inlines
 * (about 8-9 ns), accurate to about 1.5 ulp (exp) and 1 ulp of max(1, |log x|) (log).
 *
 * - `fastExp(x)`: table-driven range reduction (Tang 1989, "Table-driven implementation of the
 *   exponential function in IEEE floating-point arithmetic", ACM TOMS 15(2)):
 *   x = (256 e + j) ln2 / 256 + r with |r| <= ln2 / 512, exp(x) = 2^e 2^(j/256) exp(r), exp(r) - 1
 *   by its Taylor polynomial to r^5 (truncation below 1e-19). ln2 / 256 is split in a high and a low
 *   part (fdlibm's ln2_hi / ln2_lo, scaled by 2^-8) so that r is computed without cancellation.
 *   Outside (-708, 709) and for NaN it defers to Math.exp (overflow, subnormal results).
 * - `fastLog(x)`: x = 2^k m with m in [1, 2) read from the IEEE bits, m = c_j (1 + r) with
 *   c_j = 1 + j/128 from m's top 7 mantissa bits, 0 <= r < 1/128, and
 *   log x = k ln2 + log c_j + log1p(r), log1p by its Taylor polynomial to r^7 (truncation below
 *   2e-18). log(1) is exactly 0. Non-normal, non-finite and non-positive x defer to Math.log.
 *
 * Both are deterministic (same input, same bits), which the sampler's reproducibility needs.
 */

const SHIFT = 6755399441055744.0; // 1.5 * 2^52: (v + SHIFT) - SHIFT rounds v to the nearest integer
const EXP_TABLE_BITS = 8;
const EXP_TABLE_SIZE = 1 << EXP_TABLE_BITS;
const EXP_TABLE_MASK = EXP_TABLE_SIZE - 1;
const EXP_SCALE = EXP_TABLE_SIZE / Math.LN2;
// fdlibm's split of ln 2 (ln2_hi has 32 significant bits, so k * ln2_hi is exact for |k| < 2^20), over 256.
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const EXP_STEP_HI = LN2_HI / EXP_TABLE_SIZE;
const EXP_STEP_LO = LN2_LO / EXP_TABLE_SIZE;
/** 2^(j/256), j < 256. */
const EXP_TABLE = Float64Array.from({ length: EXP_TABLE_SIZE }, (_, j) => 2 ** (j / EXP_TABLE_SIZE));
const MIN_EXPONENT = -1022;
/** 2^e for normal e in [-1022, 1023], index e + 1022. */
const POWERS_OF_TWO = Float64Array.from({ length: 2046 }, (_, i) => 2 ** (i + MIN_EXPONENT));
/** 2^-e for e in [-1022, 1023], index e + 1022. */
const INVERSE_POWERS_OF_TWO = Float64Array.from({ length: 2046 }, (_, i) => 2 ** -(i + MIN_EXPONENT));

/** exp(x) in float64 (about 1.5 ulp). */
export function fastExp(x: number): number {
  if (!(x > -708 && x < 709)) return Math.exp(x);
  return fastExpInRange(x);
}

/**
 * fastExp(x) for x in (-708, 709) only, without the check and the call to Math.exp outside: for
 * hot loops that keep every call out of their body and treat the rare x outside themselves (a call
 * anywhere in a loop, even on a path never taken, makes V8's optimized code re-check each array
 * operand on every iteration). The same bits as fastExp in the range.
 */
export function fastExpInRange(x: number): number {
  const scaled = x * EXP_SCALE + SHIFT - SHIFT; // round(x 256 / ln2), exactly an integer
  const r = x - scaled * EXP_STEP_HI - scaled * EXP_STEP_LO;
  const index = scaled | 0;
  const table = EXP_TABLE[index & EXP_TABLE_MASK];
  const r2 = r * r;
  const expm1 = r + r2 * (0.5 + r * (1 / 6)) + r2 * r2 * (1 / 24 + r * (1 / 120));
  return (table + table * expm1) * POWERS_OF_TWO[(index >> EXP_TABLE_BITS) - MIN_EXPONENT];
}

const LOG_TABLE_BITS = 7;
const LOG_TABLE_SIZE = 1 << LOG_TABLE_BITS;
/** 1 / c_j and log c_j for c_j = 1 + j / 128. */
const LOG_INVERSE_CENTER = Float64Array.from({ length: LOG_TABLE_SIZE }, (_, j) => 1 / (1 + j / LOG_TABLE_SIZE));
const LOG_CENTER = Float64Array.from({ length: LOG_TABLE_SIZE }, (_, j) => Math.log(1 + j / LOG_TABLE_SIZE));
const LOG_CENTER_VALUE = Float64Array.from({ length: LOG_TABLE_SIZE }, (_, j) => 1 + j / LOG_TABLE_SIZE);
const MIN_NORMAL = 2.2250738585072014e-308;
const bitsView = new Float64Array(1);
const highWord = new Uint32Array(bitsView.buffer);
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // index of the high 32 bits

/** log(x) in float64 (absolute error about 1 ulp of max(1, |log x|)). */
export function fastLog(x: number): number {
  if (!(x >= MIN_NORMAL && x < Infinity)) return Math.log(x);
  return fastLogNormal(x);
}

/**
 * fastLog(x) for finite normal x > 0 (x >= 2.2250738585072014e-308) only, without the check and the
 * call to Math.log outside (as fastExpInRange). The same bits as fastLog there.
 */
export function fastLogNormal(x: number): number {
  bitsView[0] = x;
  const high = highWord[HIGH];
  const exponent = (high >>> 20) - 1023;
  const j = (high >>> (20 - LOG_TABLE_BITS)) & (LOG_TABLE_SIZE - 1);
  const mantissa = x * INVERSE_POWERS_OF_TWO[exponent - MIN_EXPONENT]; // exact, in [1, 2)
  const r = (mantissa - LOG_CENTER_VALUE[j]) * LOG_INVERSE_CENTER[j];
  const r2 = r * r;
  const log1p = r - r2 * (0.5 - r * (1 / 3)) + r2 * r2 * (-0.25 + r * (0.2 - r * (1 / 6 - r * (1 / 7))));
  return exponent * LN2_HI + LOG_CENTER[j] + (log1p + exponent * LN2_LO);
}
