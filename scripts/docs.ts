/**
 * `npm run docs`: regenerate docs/model.md's model options table from the component registries
 * (models/mmm/docs.ts). tests/docs.test.ts fails when docs/model.md holds an outdated one.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { withModelOptions } from '../models/mmm/index.js';

const file = new URL('../docs/model.md', import.meta.url);
const before = readFileSync(file, 'utf8');
const after = withModelOptions(before);
if (after === before) console.log('docs/model.md: the model options table is up to date');
else {
  writeFileSync(file, after);
  console.log('docs/model.md: model options table rewritten');
}
