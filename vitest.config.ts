import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['spec/**/*.spec.ts'],
    testTimeout: 120_000,
    // fast-check runs 100+ cases per property; forks keep each file's memory separate
    pool: 'forks',
  },
});
