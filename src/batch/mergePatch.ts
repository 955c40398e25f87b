/**
 * JSON Merge Patch (RFC 7396, Hoffman & Snell 2014): a patch object is merged into a target key by
 * key, recursively for objects; `null` in the patch deletes the key; arrays and scalars replace.
 * A batch fit's `patch` applies to its config this way (model variants: another adstock, another
 * prior), and the canonical JSON below fingerprints the result.
 */

export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

export function isJsonObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The target with the patch applied (RFC 7396 section 2); neither input is modified. */
export function mergePatch(target: unknown, patch: unknown): Json {
  if (!isJsonObject(patch)) return patch as Json;
  const out: Record<string, Json> = isJsonObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    // an own key whatever its name: assigning out["__proto__"] would set the prototype instead (and the patch would act unseen)
    else Object.defineProperty(out, key, { value: mergePatch(Object.hasOwn(out, key) ? out[key] : undefined, value), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** JSON with object keys sorted at every level, so equal values give equal text (for fingerprints). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value).filter((key) => value[key] !== undefined).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
