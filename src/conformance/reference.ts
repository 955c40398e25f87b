/**
 * The posteriordb reference file format (../shared/posteriordb/README.md, "reference.json"):
 * a typed, validated view of the parsed JSON and the engine settings it suggests.
 */
import type { ReferenceQuantity, TestRole } from './passRule.js';

export interface SuggestedSettings {
  readonly chains: number;
  readonly warmup: number;
  readonly draws: number;
  readonly adaptDelta: number;
  readonly maxTreeDepth: number;
  readonly metric: 'diag' | 'dense';
}

export interface ReferencePosterior {
  readonly posterior: string;
  readonly role: TestRole;
  readonly unconstrainedDimension: number;
  /** Reference quantity names in the reference's order (1-based `name[i]`). */
  readonly names: readonly string[];
  readonly quantities: Readonly<Record<string, ReferenceQuantity & { readonly source: string }>>;
  readonly settings: SuggestedSettings;
}

function fail(message: string): never {
  throw new Error(`reference.json: ${message}`);
}

function numberAt(object: Record<string, unknown>, key: string, where: string): number {
  const value = object[key];
  if (typeof value !== 'number' || Number.isNaN(value)) fail(`${where}.${key} is not a number`);
  return value;
}

/** Validate a parsed reference.json. */
export function parseReference(json: unknown): ReferencePosterior {
  if (typeof json !== 'object' || json === null) fail('not an object');
  const root = json as Record<string, unknown>;
  const posterior = root.posterior;
  if (typeof posterior !== 'string') fail('missing "posterior"');
  const role = root.test_role;
  if (role !== 'must_match' && role !== 'match_or_flag') fail(`unknown test_role ${JSON.stringify(role)}`);
  const names = root.parameter_names;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) fail('parameter_names must be strings');
  const parameters = root.parameters as Record<string, Record<string, unknown>> | undefined;
  if (typeof parameters !== 'object' || parameters === null) fail('missing "parameters"');
  const quantities: Record<string, ReferenceQuantity & { source: string }> = {};
  for (const name of names as string[]) {
    const entry = parameters[name];
    if (!entry) fail(`no statistics for "${name}"`);
    quantities[name] = {
      mean: numberAt(entry, 'mean', name),
      sd: numberAt(entry, 'sd', name),
      mcseMean: numberAt(entry, 'mcse_mean', name),
      mcseSd: numberAt(entry, 'mcse_sd', name),
      source: typeof entry.source === 'string' ? entry.source : 'draws',
    };
  }
  const suggested = root.suggested_engine_settings as Record<string, unknown> | undefined;
  if (typeof suggested !== 'object' || suggested === null) fail('missing suggested_engine_settings');
  const metric = typeof suggested.metric === 'string' && suggested.metric.includes('dense') ? 'dense' : 'diag';
  return {
    posterior,
    role,
    unconstrainedDimension: numberAt(root, 'unconstrained_dimension', 'root'),
    names: names as string[],
    quantities,
    settings: {
      chains: numberAt(suggested, 'chains', 'suggested_engine_settings'),
      warmup: numberAt(suggested, 'warmup', 'suggested_engine_settings'),
      draws: numberAt(suggested, 'draws_per_chain', 'suggested_engine_settings'),
      adaptDelta: numberAt(suggested, 'adapt_delta', 'suggested_engine_settings'),
      maxTreeDepth: numberAt(suggested, 'max_treedepth', 'suggested_engine_settings'),
      metric,
    },
  };
}
