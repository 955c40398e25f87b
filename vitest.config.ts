import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // tfjs keeps one global engine per process: forks isolate test files from each other.
    pool: 'forks',
    // vitest already runs two test files at once on two cores: fits sample in their own thread
    // unless a test asks for workers (tests/inference.parallel.test.ts).
    env: { MIXWELL_WORKERS: '1' },
  },
});
