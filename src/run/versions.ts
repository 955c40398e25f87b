/** The versions a run records (provenance.json, idata.nc): Mixwell's (its package.json, from source or dist), tfjs's and Node's. */
import { tf } from '../tensor/index.js';
import { packageVersion } from '../config/packageVersion.js';

export function versions(): Record<string, string> {
  return { mixwell: packageVersion(), tfjs: tf.version.tfjs, node: process.version };
}
