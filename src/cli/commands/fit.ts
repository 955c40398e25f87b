/**
 * `mixwell fit --data FILE [--config FILE] --out DIR [...]`: fit the MMM and write the run directory
 * (options: ../tables/fit.ts). While sampling, a checkpoint goes to DIR/fit.checkpoint at most every
 * --checkpoint-every seconds (src/mmm/fitCheckpoint.ts); Ctrl-C or SIGTERM (a pre-empted machine)
 * writes a last one and exits with 130, a second Ctrl-C at once; `--resume` continues from it. The
 * checkpoint is removed once the run directory is written. With --queue the chains run as jobs
 * for `mixwell worker`s (src/batch/chainQueue.ts), which checkpoint them; this process waits for
 * them and writes the run directory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chainFitId, queueStageRunner } from '../../batch/chainQueue.js';
import { packageVersion } from '../../config/index.js';
import { checkConnection } from '../../batch/queue.js';
import { queueTarget } from '../queueTarget.js';
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
  const target = queueTarget({ queue: options.queue, 'queue-name': options['queue-name'], 'queue-prefix': options['queue-prefix'], 'tls-ca': options['tls-ca'], 'tls-insecure': options['tls-insecure'] });
  if (target) return runOnQueue(options, target, started);
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
      ...samplerOverrides(options),
      workers: options.workers,
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

type FitOptions = ReturnType<typeof parseCommand<typeof FIT>>['options'];

/** The sampler settings the command line overrides (the config's otherwise). */
function samplerOverrides(options: FitOptions) {
  return { chains: options.chains, warmup: options.warmup, draws: options.draws, seed: options.seed, backend: options.backend };
}

/** `mixwell fit --queue`: the chains as queue jobs (src/batch/chainQueue.ts), the run directory written here. */
async function runOnQueue(options: FitOptions, target: NonNullable<ReturnType<typeof queueTarget>>, started: number): Promise<void> {
  await checkConnection(target);
  const out = resolve(options.out);
  // the same fit (version, data, config, sampler options, output folder) gives the same job ids: rerunning picks them up
  const fitId = chainFitId([
    'mixwell-fit-queue/1',
    packageVersion(),
    out,
    readFileSync(options.data),
    options.config !== undefined ? readFileSync(options.config) : '',
    [options.chains, options.warmup, options.draws, options.seed, options.backend],
  ]);
  const say = (line: string) => {
    if (!options.quiet) process.stderr.write(`mixwell: ${line}\n`);
  };
  const runner = queueStageRunner(target, {
    fitId,
    out,
    ...(options.backend ? { backend: options.backend } : {}),
    ...(options['checkpoint-every'] !== undefined ? { checkpointSeconds: options['checkpoint-every'] } : {}),
    onLine: say,
  });
  let fit;
  try {
    fit = await fitMmm(options.data, options.config, {
      ...samplerOverrides(options),
      progress: false,
      verbose: !options.quiet,
      stageRunner: runner.runStage,
    });
  } finally {
    await runner.close();
  }
  const report = buildReport(fit, { mroiTarget: options['mroi-target'], roiThreshold: options['roi-threshold'] });
  await writeRun(options.out, fit, report, { logLik: !options['no-log-lik'], idata: !options['no-idata'], parquet: !options['no-parquet'] });
  say(`fit done in ${((performance.now() - started) / 1000).toFixed(1)} s on the queue; wrote ${options.out}`);
  process.stdout.write(formatRunSummary(readRun(options.out)) + '\n');
}
