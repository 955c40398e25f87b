// Entry of the fuzz sandbox's worker thread (tests/support/fuzz.ts FuzzSandbox): load the
// TypeScript targets through tsx, as bin/mixwell.js loads the CLI.
import { register } from 'tsx/esm/api';

register();
await import('./fuzzTargets.ts');
