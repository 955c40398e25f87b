/**
 * Generated docs stay current: docs/model.md's model options table is the one the component
 * registries give, and docs/cli.md is the reference the CLI's option tables give (run
 * `npm run docs` after adding or changing a component or a command's option).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelOptionsMarkdown, withModelOptions } from '../models/mmm/docs.js';
import { cliReference } from '../src/cli/reference.js';
import { TABLES } from '../src/cli/tables/index.js';

describe('generated docs', () => {
  it('docs/model.md holds the current model options table', () => {
    const page = readFileSync('docs/model.md', 'utf8');
    expect(withModelOptions(page), 'the model options table of docs/model.md is outdated: run `npm run docs`').toBe(page);
    expect(modelOptionsMarkdown()).toContain('| `geometric` |');
  });

  it('docs/cli.md is the current CLI reference, with every command and option', () => {
    const markdown = readFileSync('docs/cli.md', 'utf8');
    expect(markdown === cliReference(), 'docs/cli.md is outdated: run `npm run docs`').toBe(true);
    for (const spec of Object.values(TABLES)) {
      expect(markdown).toContain(`## ${spec.name}\n`);
      for (const option of spec.options) expect(markdown, `${spec.name} --${option.name}`).toContain(`| \`--${option.name}\` |`);
    }
    expect(markdown).toContain('| `--backend` | `tensorflow\\|wasm\\|cpu` |');
  });
});
