/** The versions a run records (provenance.json, idata.nc): Mixwell's (package.json), tfjs's and Node's. */
import { createRequire } from 'node:module';
import { tf } from '../tensor/index.js';

const require = createRequire(import.meta.url);

export function versions(): Record<string, string> {
  const own = require('../../package.json') as { version: string };
  return { mixwell: own.version, tfjs: tf.version.tfjs, node: process.version };
}
