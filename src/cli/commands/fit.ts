/** `mixwell fit --data FILE [--config FILE] --out DIR [...]`: fit the MMM and write the run directory (options: ../tables/fit.ts). */
import { fitMmm } from '../../mmm/fit.js';
import { buildReport } from '../../mmm/report.js';
import { readRun, writeRun } from '../../run/index.js';
import { formatRunSummary } from '../../report/index.js';
import { parseCommand } from '../args.js';
import { FIT } from '../tables/fit.js';

export async function run(argv: readonly string[]): Promise<void> {
  const { options } = parseCommand(FIT, argv);
  const started = performance.now();
  const fit = await fitMmm(options.data, options.config, {
    chains: options.chains,
    warmup: options.warmup,
    draws: options.draws,
    seed: options.seed,
    workers: options.workers,
    backend: options.backend,
    // progress: a bar on a TTY, a line per 10% (or per minute) otherwise; --quiet: neither, nor the setup lines
    progress: !options.quiet,
    verbose: !options.quiet,
  });
  const report = buildReport(fit, { mroiTarget: options['mroi-target'], roiThreshold: options['roi-threshold'] });
  await writeRun(options.out, fit, report, { logLik: !options['no-log-lik'], idata: !options['no-idata'], parquet: !options['no-parquet'] });
  if (!options.quiet) process.stderr.write(`mixwell: fit done in ${((performance.now() - started) / 1000).toFixed(1)} s (sampling ${fit.result.seconds.sampling.toFixed(1)} s); wrote ${options.out}\n`);
  process.stdout.write(formatRunSummary(readRun(options.out)) + '\n');
}
