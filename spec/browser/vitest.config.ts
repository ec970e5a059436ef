/**
 * The browser test's own configuration (`npm run test:browser`): the main suite's
 * configuration includes only `*.spec.ts`, so `npm test` never needs a browser.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['spec/browser/**/*.browser.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
