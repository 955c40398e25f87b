/** How a model with a sequential recursion evaluates it: one host float64 op (default) or per-step tensor ops. */
export type RecursionMode = 'host' | 'tensor';

export interface RecursionOptions {
  /**
   * 'host' (default): the recursion and its forward-mode gradient in float64 on the host, one op
   * (hostTerm.ts). 'tensor': plain tfjs ops per time step, differentiated by tfjs (slower: several
   * kernels per step; kept as the reference the host gradient is tested against).
   */
  readonly recursion?: RecursionMode;
}
