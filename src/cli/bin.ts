#!/usr/bin/env node
/**
 * The installed package's `mixwell` command (package.json "bin", compiled to dist/src/cli/bin.js):
 * the CLI on the compiled JavaScript, no TypeScript loader. In the repository, bin/mixwell.js runs
 * the same `main` from source through tsx.
 */
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
