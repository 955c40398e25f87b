/**
 * The sampler options `fit` and `mediation` share (--chains, --warmup, --draws, --seed, --backend,
 * --quiet): each overrides the config file's `sampler` key, whose defaults are src/mmm/config.ts
 * DEFAULT_SAMPLER (4 chains, 1000 warmup, 1000 draws, seed 20240601). Import-free (spec.ts).
 */

export const CHAINS = {
  name: 'chains',
  kind: 'integer',
  placeholder: 'N',
  min: 1,
  description: 'Markov chains to run.',
  default: "the config file's sampler.chains, else 4",
} as const;

export const WARMUP = {
  name: 'warmup',
  kind: 'integer',
  placeholder: 'N',
  min: 0,
  description: 'Warmup (adaptation) iterations per chain, not kept.',
  default: "the config file's sampler.warmup, else 1000",
} as const;

export const DRAWS = {
  name: 'draws',
  kind: 'integer',
  placeholder: 'N',
  min: 1,
  description: 'Posterior draws kept per chain, after the warmup.',
  default: "the config file's sampler.draws, else 1000",
} as const;

export const SEED = {
  name: 'seed',
  kind: 'integer',
  placeholder: 'N',
  min: 0,
  description: 'Seed of the sampler: the same seed, backend and chain count give bit-identical draws.',
  default: "the config file's sampler.seed, else 20240601",
} as const;

export const BACKEND = {
  name: 'backend',
  kind: 'enum',
  values: ['tensorflow', 'wasm', 'cpu'],
  description: 'The tfjs backend to use; a forced backend that cannot load is an error.',
  default: 'MIXWELL_BACKEND, else the first of tensorflow, wasm, cpu that loads',
} as const;

export const QUIET = {
  name: 'quiet',
  kind: 'flag',
  description: 'Print no progress and no set-up lines on stderr (the results still go to stdout).',
  default: 'off (a progress bar on a terminal, else a line per 10% or per minute)',
} as const;
