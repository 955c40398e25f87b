/**
 * The error of a bad config value: names the file and the key path (e.g. `model.adstock.maxLag`)
 * and says what is wrong, as `<file>: <path>: <problem>`. Every config parser (run configs, model
 * configs, batch manifests) throws it, so callers can tell a user's config mistake from a bug.
 */
export class ConfigError extends Error {
  constructor(readonly file: string, readonly path: string, problem: string) {
    super(`${file}: ${path}: ${problem}`);
    this.name = 'ConfigError';
  }
}
