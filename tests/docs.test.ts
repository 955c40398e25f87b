/**
 * Generated docs stay current: the README's model options table is the one the component
 * registries give (run `npm run docs` after adding or changing a component).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelOptionsMarkdown, withModelOptions } from '../models/mmm/docs.js';

describe('generated docs', () => {
  it('README holds the current model options table', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(withModelOptions(readme), 'the README model options table is outdated: run `npm run docs`').toBe(readme);
    expect(modelOptionsMarkdown()).toContain('| `geometric` |');
  });
});
