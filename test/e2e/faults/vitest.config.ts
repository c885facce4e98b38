/**
 * Vitest configuration of the fault tier (`npm run test:faults`): test/e2e/faults/*.test.ts only, one control plane
 * at a time, with timeouts sized for faults that last past Crossplane's 2-minute reconcile timeout. Neither `npm test`
 * nor `npm run test:e2e` runs it (both exclude test/e2e/faults).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../../..', import.meta.url)),
    include: ['test/e2e/faults/**/*.test.ts'],
    watch: false,
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    minWorkers: 1,
    testTimeout: 900_000,
    hookTimeout: 600_000,
    teardownTimeout: 120_000,
  },
});
