/**
 * `npm run docs`: regenerate the docs made from code. (1) docs/model.md's model options table from
 * the component registries (models/mmm/docs.ts). (2) docs/cli.md, the command-line reference, from
 * the CLI's option tables (src/cli/tables/, rendered by src/cli/reference.ts). tests/docs.test.ts
 * fails when either is outdated.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { withModelOptions } from '../models/mmm/index.js';
import { cliReference } from '../src/cli/reference.js';

const file = new URL('../docs/model.md', import.meta.url);
const before = readFileSync(file, 'utf8');
const after = withModelOptions(before);
if (after === before) console.log('docs/model.md: the model options table is up to date');
else {
  writeFileSync(file, after);
  console.log('docs/model.md: model options table rewritten');
}

const cliFile = new URL('../docs/cli.md', import.meta.url);
const cli = cliReference();
if (existsSync(cliFile) && readFileSync(cliFile, 'utf8') === cli) console.log('docs/cli.md: the CLI reference is up to date');
else {
  mkdirSync(new URL('../docs/', import.meta.url), { recursive: true });
  writeFileSync(cliFile, cli);
  console.log('docs/cli.md: CLI reference written');
}
