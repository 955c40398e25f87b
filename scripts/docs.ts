/**
 * `npm run docs`: regenerate the README's model options table from the component registries
 * (models/mmm/docs.ts). tests/docs.test.ts fails when the README holds an outdated one.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { withModelOptions } from '../models/mmm/index.js';

const file = new URL('../README.md', import.meta.url);
const before = readFileSync(file, 'utf8');
const after = withModelOptions(before);
if (after === before) console.log('README.md: the model options table is up to date');
else {
  writeFileSync(file, after);
  console.log('README.md: model options table rewritten');
}
