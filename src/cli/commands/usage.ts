/**
 * Every command's usage line, in a module that imports nothing, so that the registry (index.ts) can
 * answer `--help` without loading any command (and tfjs with it).
 */
export const USAGE = {
  fit:
    'mixwell fit --data FILE [--config FILE] --out DIR [--chains N] [--warmup N] [--draws N] [--seed N] [--workers N] [--backend tensorflow|wasm|cpu] [--roi-threshold T] [--mroi-target R] [--no-log-lik] [--no-idata] [--quiet]',
  summary:
    'mixwell summary DIR [--roi-threshold T] [--mroi-target R]',
  report:
    'mixwell report DIR [--max-draws N] [--allocation FILE | --no-budget]',
  inspect:
    'mixwell inspect --data FILE [--config FILE] [--out DIR]',
  optimize:
    'mixwell optimize DIR (--budget B | --target-kpi K | --target-mroi R) [--periods N | --future FILE [--future-follows]] [--bounds FILE] [--objective mean|q10|cvar|meansd] [--risk-aversion L] [--geo-level] [--max-draws N] [--decision-draws N] [--seed N] [--tradeoff A,B [--tradeoff-points N]] [--optimal-frequency] [--out DIR]',
  scenario:
    'mixwell scenario DIR --plan FILE [--periods N | --future FILE [--future-follows]] [--geo-level] [--out DIR]',
  mediation:
    'mixwell mediation --data FILE --config FILE [--out DIR] [--chains N] [--warmup N] [--draws N] [--seed N] [--backend tensorflow|wasm|cpu] [--quiet]',
  compare:
    'mixwell compare DIR DIR... [--out DIR]',
  batch:
    'mixwell batch MANIFEST [--out DIR] [--workers N] [--retries N] [--fits-per-worker N] [--force] [--stability] [--queue redis://HOST:PORT [--queue-name NAME] [--wait | --status]]',
  worker:
    'mixwell worker --queue redis://HOST:PORT [--queue-name NAME] [--concurrency N] [--idle-exit SECONDS] [--lock-ms MS] [--stalled-ms MS] [--max-stalled N]',
} as const;
