/**
 * Config plumbing every config parser shares, below any model: the error that names file and key
 * path, typed reads of JSON values, and reading a JSON config file.
 */
export { ConfigError } from './configError.js';
export { Reader, describeValue, keyPath } from './reader.js';
export { readJsonConfig } from './jsonFile.js';
export { packageVersion } from './packageVersion.js';
