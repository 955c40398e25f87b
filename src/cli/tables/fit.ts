/** `mixwell fit`: its option table (spec.ts; parsed by src/cli/commands/fit.ts). */
import type { CommandSpec } from './spec.js';
import { QUEUE, QUEUE_NAME, QUEUE_PREFIX, TLS_CA, TLS_INSECURE } from './queue.js';
import { BACKEND, CHAINS, DRAWS, QUIET, SEED, WARMUP } from './sampler.js';

export const FIT = {
  name: 'fit',
  summary: 'Fit the MMM to a data file and write the run directory.',
  description:
    'Fit the geo MMM to a data file with the NUTS sampler and write the run directory: config, ' +
    'provenance, draws (Arrow, CmdStan CSV and ArviZ InferenceData as idata.nc), parameter summary, ROI, contributions, fit ' +
    'metrics, log-likelihood and the health check. Prints the ROI table, the probability ' +
    'statements and the health check; progress and set-up lines go to stderr. --chains, --warmup, ' +
    "--draws, --seed and --backend override the config file's sampler settings.",
  positionals: [],
  options: [
    { name: 'data', kind: 'string', placeholder: 'FILE', required: true, description: 'The data (CSV, long format): one row per geo and period.' },
    {
      name: 'config',
      kind: 'string',
      placeholder: 'FILE',
      description: 'The run config (JSON): data roles, scaling, model, sampler, holdout, imputation.',
      default: 'none (roles detected from the column names, the default model and sampler)',
    },
    { name: 'out', kind: 'string', placeholder: 'DIR', required: true, description: 'The run directory to write (created if needed; the files of an earlier run there are overwritten).' },
    CHAINS,
    WARMUP,
    DRAWS,
    SEED,
    {
      name: 'workers',
      kind: 'integer',
      placeholder: 'N',
      min: 1,
      description: 'Worker threads the chains are split over (1: this thread); the draws do not depend on it.',
      default: "MIXWELL_WORKERS, else one per core; at most one per chain, and 1 with the config's sampler.pooledAdaptation",
    },
    BACKEND,
    {
      name: 'roi-threshold',
      kind: 'number',
      placeholder: 'T',
      description: 'The threshold of the probability statements P(ROI > T).',
      default: '1',
    },
    {
      name: 'mroi-target',
      kind: 'number',
      placeholder: 'R',
      description: 'The target of the probability statements P(mROI > R).',
      default: '1',
    },
    {
      name: 'no-log-lik',
      kind: 'flag',
      description: 'Leave out the pointwise log-likelihood files (log_lik.arrow, log_lik_holdout.arrow) and the log_likelihood group of idata.nc; PSIS-LOO is still computed and stored.',
      default: 'off (they are written)',
    },
    {
      name: 'no-idata',
      kind: 'flag',
      description: 'Leave out idata.nc, the fit as ArviZ InferenceData in a netCDF-4 file (posterior, sample_stats, log_likelihood, posterior_predictive, observed_data, constant_data).',
      default: 'off (it is written)',
    },
    {
      name: 'no-parquet',
      kind: 'flag',
      description: 'Leave out roi.parquet, contributions.parquet and contributions_by_date.parquet (the CSV tables as Parquet).',
      default: 'off (they are written)',
    },
    {
      name: 'resume',
      kind: 'flag',
      description:
        'Continue the fit whose checkpoint is in the run directory (fit.checkpoint), killed or stopped with Ctrl-C: the draws equal those of an uninterrupted fit. Give the same data, config and sampler options; a checkpoint of another fit is refused.',
      default: 'off (a fit starts afresh and replaces any checkpoint there)',
    },
    {
      name: 'checkpoint-every',
      kind: 'number',
      placeholder: 'SECONDS',
      min: 0,
      description: 'Write the checkpoint (every chain\'s state, adaptation and draws so far) at most this often while sampling; it is removed once the run directory is written. Ctrl-C or SIGTERM writes one and stops.',
      default: '60',
    },
    {
      name: 'no-checkpoint',
      kind: 'flag',
      description: 'Take no checkpoints (Ctrl-C then stops the fit at once).',
      default: 'off (checkpoints are taken)',
    },
    {
      ...QUEUE,
      description:
        "Run the fit's chains as jobs on this BullMQ/Redis queue, for the mixwell workers on any machine (each job one chain and one warmup stage), then write the run directory here: the same draws as a local fit. --out must be on storage the workers see at the same path, under their --root (each chain checkpoints to DIR/.chains). Running the command again picks up the same jobs. redis://[USER:PASSWORD@]HOST:PORT[/DB], or rediss://... for TLS.",
      default: 'none (the chains run on this machine)',
    },
    QUEUE_NAME,
    QUEUE_PREFIX,
    TLS_CA,
    TLS_INSECURE,
    QUIET,
  ],
  rules: [
    { oneOf: ['queue', 'resume'], message: '--queue runs the chains on the workers, which checkpoint them themselves: leave out --resume (running the command again picks up the same jobs)' },
    { oneOf: ['queue', 'workers'], message: "--workers sets this machine's threads; with --queue the chains run on the mixwell workers: leave it out" },
    { oneOf: ['queue', 'no-checkpoint'], message: '--queue checkpoints every chain on its worker (so that a killed worker loses nothing): leave out --no-checkpoint' },{ oneOf: ['resume', 'no-checkpoint'], message: '--resume needs a checkpoint: leave out --no-checkpoint' }, { oneOf: ['checkpoint-every', 'no-checkpoint'], message: '--checkpoint-every and --no-checkpoint exclude each other' }],
} as const satisfies CommandSpec;
