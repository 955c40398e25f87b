/**
 * `mixwell fit --data FILE [--config FILE] --out DIR [...]`: fit the MMM and write the run directory
 * (options: ../tables/fit.ts). While sampling, a checkpoint goes to DIR/fit.checkpoint at most every
 * --checkpoint-every seconds (src/mmm/fitCheckpoint.ts); Ctrl-C or SIGTERM (a pre-empted machine)
 * writes a last one and exits with 130, a second Ctrl-C at once; `--resume` continues from it. The
 * checkpoint is removed once the run directory is written.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { removeCheckpointFile } from '../../inference/checkpointFile.js';
import { fitMmm } from '../../mmm/fit.js';
import { buildReport } from '../../mmm/report.js';
import { readRun, writeRun } from '../../run/index.js';
import { formatRunSummary } from '../../report/index.js';
import { SamplingInterrupted } from '../../../samplers/index.js';
import { parseCommand, UsageError } from '../args.js';
import { FIT } from '../tables/fit.js';

/** The checkpoint file of a run directory. */
export const CHECKPOINT_FILE = 'fit.checkpoint';

export async function run(argv: readonly string[]): Promise<number | void> {
  const { options } = parseCommand(FIT, argv);
  const started = performance.now();
  const checkpointFile = join(options.out, CHECKPOINT_FILE);
  if (options.resume && !existsSync(checkpointFile)) throw new UsageError(`--resume: there is no checkpoint in ${options.out} (${CHECKPOINT_FILE}); start the fit without --resume`);
  let stopRequested = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopRequested) process.exit(130);
    stopRequested = true;
    process.stderr.write(`\nmixwell: ${signal}: writing a checkpoint and stopping (again to stop at once)\n`);
  };
  const checkpointing = !options['no-checkpoint'];
  if (checkpointing) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  let fit;
  try {
    fit = await fitMmm(options.data, options.config, {
      chains: options.chains,
      warmup: options.warmup,
      draws: options.draws,
      seed: options.seed,
      workers: options.workers,
      backend: options.backend,
      // progress: a bar on a TTY, a line per 10% (or per minute) otherwise; --quiet: neither, nor the setup lines
      progress: !options.quiet,
      verbose: !options.quiet,
      ...(checkpointing
        ? {
            checkpoint: {
              file: checkpointFile,
              resume: options.resume,
              ...(options['checkpoint-every'] !== undefined ? { seconds: options['checkpoint-every'] } : {}),
              shouldStop: () => stopRequested,
            },
          }
        : {}),
    });
  } catch (error) {
    if (!(error instanceof SamplingInterrupted)) throw error;
    process.stderr.write(`mixwell: stopped; the checkpoint is ${checkpointFile}. Continue with the same command and --resume.\n`);
    return 130;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const report = buildReport(fit, { mroiTarget: options['mroi-target'], roiThreshold: options['roi-threshold'] });
  await writeRun(options.out, fit, report, { logLik: !options['no-log-lik'], idata: !options['no-idata'], parquet: !options['no-parquet'] });
  removeCheckpointFile(checkpointFile);
  if (!options.quiet) process.stderr.write(`mixwell: fit done in ${((performance.now() - started) / 1000).toFixed(1)} s (sampling ${fit.result.seconds.sampling.toFixed(1)} s); wrote ${options.out}\n`);
  process.stdout.write(formatRunSummary(readRun(options.out)) + '\n');
}
