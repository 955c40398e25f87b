/**
 * Validation of specs against the Vega-Lite JSON schema that vega-lite ships
 * (build/vega-lite-schema.json, JSON Schema draft-07), with Ajv. Compiling the schema takes a few
 * seconds, so the validator is built once per process and cached.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import type { ChartSpec } from './spec.js';

const require = createRequire(import.meta.url);
let cached: ValidateFunction | undefined;

/** Path of the Vega-Lite JSON schema in node_modules. */
export function vegaLiteSchemaPath(): string {
  return require.resolve('vega-lite/vega-lite-schema.json');
}

function validator(): ValidateFunction {
  if (!cached) {
    const schema = JSON.parse(readFileSync(vegaLiteSchemaPath(), 'utf8'));
    // Formats (uri, color-hex) are not checked; code optimization off makes compiling ~3x faster.
    const ajv = new Ajv({ strict: false, validateFormats: false, logger: false, allErrors: false, code: { optimize: false } });
    cached = ajv.compile(schema);
  }
  return cached;
}

/** Schema errors of a spec, as "path: message" lines (empty when valid). */
export function schemaErrors(spec: ChartSpec): string[] {
  const validate = validator();
  if (validate(spec)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(top)'}: ${e.message ?? 'invalid'}`);
}
