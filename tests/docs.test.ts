/**
 * Generated docs stay current: docs/model.md's model options table is the one the component
 * registries give (run `npm run docs` after adding or changing a component).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelOptionsMarkdown, withModelOptions } from '../models/mmm/docs.js';

describe('generated docs', () => {
  it('docs/model.md holds the current model options table', () => {
    const page = readFileSync('docs/model.md', 'utf8');
    expect(withModelOptions(page), 'the model options table of docs/model.md is outdated: run `npm run docs`').toBe(page);
    expect(modelOptionsMarkdown()).toContain('| `geometric` |');
  });
});
