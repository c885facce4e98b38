/**
 * Vitest configuration of the end-to-end tier (`npm run test:e2e`): test/e2e/*.test.ts only, one file at a time
 * (each starts its own control plane of several processes on a 2-core machine), with timeouts sized for a control
 * plane that starts in under a minute and claims that settle in seconds to minutes. The main `npm test` excludes
 * test/e2e (see ../../vitest.config.ts).
 * `npm run test:e2e:argocd` runs the Argo CD part (argocd.test.ts) alone.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/e2e/**/*.test.ts'],
    // The fault tier has its own configuration (test/e2e/faults/vitest.config.ts, npm run test:faults).
    exclude: ['**/node_modules/**', 'test/e2e/tools/**', 'test/e2e/faults/**'],
    watch: false,
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    minWorkers: 1,
    testTimeout: 300_000,
    hookTimeout: 300_000,
    teardownTimeout: 120_000,
  },
});
