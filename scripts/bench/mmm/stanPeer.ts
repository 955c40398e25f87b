/**
 * The Stan peers for `npm run bench:mmm`: the reference program (mmm.stan, the joint model) and the
 * same posterior with the linear block integrated out (mmm_collapsed.stan, G >= 2). Where R and
 * rstan are installed, run ../shared/bench/stan/run.R on the same data in this invocation
 * (STAN_MODEL selects the program); otherwise (or with --stan stored) read Stan's stored results
 * (../shared/bench/stan/results/<size>.json, <size>.collapsed.json) and say so.
 *
 * shared/ is read-only and run.R writes next to itself (compiled model cache, results/, logs/), so
 * the runner files are staged in a work directory under the OS temp dir (kept between invocations
 * so that the compiled model is reused), with data/ a link to the shared data. Nothing is copied
 * into the project.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadStanResults, type StanResults } from '../../validate/stanReference.js';

export type StanProgram = 'mmm' | 'mmm_collapsed';

/** How each program is named in the tables. */
export const STAN_PROGRAM_LABELS: Readonly<Record<StanProgram, string>> = { mmm: 'Stan', mmm_collapsed: 'Stan collapsed' };

const resultsFile = (size: string, program: StanProgram) => (program === 'mmm' ? `${size}.json` : `${size}.collapsed.json`);

export interface StanPeer {
  readonly program: StanProgram;
  readonly source: 'run' | 'stored';
  readonly note: string;
  readonly results: StanResults;
  readonly path: string;
}

/** Why Stan cannot be run here, or undefined when it can. */
export function stanUnavailable(): string | undefined {
  try {
    execFileSync('Rscript', ['-e', 'suppressMessages({library(rstan); library(jsonlite)})'], { stdio: 'ignore', timeout: 120_000 });
    return undefined;
  } catch {
    return 'R with rstan and jsonlite is not installed (apt-get install r-cran-rstan r-cran-jsonlite)';
  }
}

export function storedStan(shared: string, size: string, why: string, program: StanProgram = 'mmm'): StanPeer | undefined {
  const path = join(shared, 'bench', 'stan', 'results', resultsFile(size, program));
  if (!existsSync(path)) return undefined;
  return { program, source: 'stored', note: `${STAN_PROGRAM_LABELS[program]}'s stored results (${path}): ${why}`, results: loadStanResults(path), path };
}

/** Run Stan's runner on `size` (4 chains x 1000 + 1000, 2 cores, seed 20240601) with `program`, inheriting stderr. */
export function runStan(shared: string, size: string, program: StanProgram = 'mmm'): StanPeer {
  const source = resolve(shared, 'bench', 'stan');
  const work = join(tmpdir(), 'mixwell-stan-peer');
  mkdirSync(work, { recursive: true });
  // Copy only what changed: run.R recompiles when mmm.stan is newer than its cached model.
  for (const file of ['run.R', 'mmm.stan', 'mmm_collapsed.stan', 'Makevars']) {
    const target = join(work, file);
    if (!existsSync(target) || !readFileSync(target).equals(readFileSync(join(source, file)))) copyFileSync(join(source, file), target);
  }
  if (!existsSync(join(work, 'data'))) symlinkSync(join(source, 'data'), join(work, 'data'));
  process.stderr.write(`bench:mmm: running ${STAN_PROGRAM_LABELS[program]} on ${size} in ${work} (STAN_MODEL=${program} Rscript run.R ${size}) ...\n`);
  const result = spawnSync('Rscript', [join(work, 'run.R'), size], { cwd: work, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, STAN_MODEL: program } });
  if (result.status !== 0) throw new Error(`${STAN_PROGRAM_LABELS[program]} failed on ${size} (exit ${result.status ?? result.signal})`);
  const path = join(work, 'results', resultsFile(size, program));
  return { program, source: 'run', note: `${STAN_PROGRAM_LABELS[program]} run in this invocation (${path})`, results: loadStanResults(path), path };
}
