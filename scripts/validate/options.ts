/**
 * Command-line options of `npm run validate`: which sections to run (`--only`), sampler overrides
 * (`--chains --warmup --draws --seed --max-tree-depth`), the fast smoke mode (`--quick`) and the
 * report path (`--out`). Settings resolve per section: an explicit flag wins, then `--quick`'s
 * small settings, then the section's full settings (Stan's 4 chains x 1000/1000 by default).
 */
import { parseArgs } from 'node:util';

export const SECTION_NAMES = ['roas', 'lfiaschi', 'stan-geo20', 'stan-national', 'meridian', 'meridian-rf', 'robyn', 'lift', 'funnel', 'tv-recovery', 'tv-geo20'] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

export interface SamplerSettings {
  readonly chains: number;
  readonly warmup: number;
  readonly draws: number;
  readonly seed: number;
  readonly maxTreeDepth: number;
}

export interface ValidateOptions {
  readonly sections: readonly SectionName[];
  readonly quick: boolean;
  /** Flags given on the command line (undefined = not given). */
  readonly overrides: Partial<SamplerSettings>;
  readonly out?: string;
  /** True when the run is not the full default one (--only, --quick or overrides). */
  readonly partial: boolean;
}

/** Stan's settings (shared/bench/stan/run.R): 4 chains, 1000 warmup + 1000 draws, seed 20240601. */
export const FULL_SETTINGS: SamplerSettings = { chains: 4, warmup: 1000, draws: 1000, seed: 20240601, maxTreeDepth: 10 };

/**
 * Quick smoke settings: enough draws for R-hat and ESS to be computed and for the pipeline to run
 * end to end, not enough for the verdicts to mean much (short warmup: the step size and metric are
 * barely adapted). Tree depth is capped at 6 (<= 63 leapfrog steps per iteration), so a fit costs at
 * most ~7,600 batched gradient calls (measured: the six sections in ~4 minutes with the fused
 * likelihood on 2 shared cores; the slowest, meridian, ~90 s of sampling).
 */
export const QUICK_SETTINGS: SamplerSettings = { chains: 2, warmup: 80, draws: 40, seed: 20240601, maxTreeDepth: 6 };

function positiveInteger(value: string | undefined, flag: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min) throw new Error(`--${flag} must be an integer >= ${min}, got "${value}"`);
  return parsed;
}

export function parseValidateArgs(argv: readonly string[]): ValidateOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      chains: { type: 'string' },
      warmup: { type: 'string' },
      draws: { type: 'string' },
      seed: { type: 'string' },
      'max-tree-depth': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      [
        'npm run validate -- [--only roas,lfiaschi,stan-geo20,stan-national,meridian,meridian-rf,robyn,lift,funnel,tv-recovery] [--quick]',
        'npm run validate -- [--only roas,lfiaschi,stan-geo20,stan-national,meridian,meridian-rf,robyn,lift,funnel,tv-geo20] [--quick]',
        '                    [--chains N] [--warmup N] [--draws N] [--seed S] [--max-tree-depth D] [--out file.json]',
        '',
      ].join('\n'),
    );
    process.exit(0);
  }
  let sections: SectionName[] = [...SECTION_NAMES];
  if (values.only !== undefined) {
    const asked = values.only.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const unknown = asked.filter((s) => !(SECTION_NAMES as readonly string[]).includes(s));
    if (unknown.length > 0) throw new Error(`--only: unknown section(s) ${unknown.join(', ')} (known: ${SECTION_NAMES.join(', ')})`);
    sections = SECTION_NAMES.filter((s) => asked.includes(s));
  }
  const overrides: Partial<SamplerSettings> = Object.fromEntries(
    Object.entries({
      chains: positiveInteger(values.chains, 'chains'),
      warmup: positiveInteger(values.warmup, 'warmup', 0),
      draws: positiveInteger(values.draws, 'draws', 4),
      seed: positiveInteger(values.seed, 'seed', 0),
      maxTreeDepth: positiveInteger(values['max-tree-depth'], 'max-tree-depth'),
    }).filter(([, v]) => v !== undefined),
  );
  const partial = values.only !== undefined || values.quick === true || Object.keys(overrides).length > 0;
  return { sections, quick: values.quick === true, overrides, out: values.out, partial };
}

/** The sampler settings a section runs with. */
export function resolveSettings(options: ValidateOptions, full: SamplerSettings = FULL_SETTINGS): SamplerSettings {
  const base = options.quick ? { ...QUICK_SETTINGS, seed: full.seed } : full;
  return { ...base, ...options.overrides };
}
