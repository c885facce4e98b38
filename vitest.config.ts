import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/e2e is its own tier (npm run test:e2e, test/e2e/vitest.config.ts): it needs the control-plane binaries.
    exclude: ['**/node_modules/**', 'dist/**', '.scratch/**', 'test/e2e/**'],
    watch: false,
    // One build of drctl, the function and the Lambda zips for every file that runs them.
    globalSetup: ['test/global-setup.ts'],
    // Separate processes: tests start servers and child processes and must not share module state.
    pool: 'forks',
    // CI has 2 cores; most time goes into child processes (crossplane, moto, tsx), so two files at a time.
    maxWorkers: 2,
    minWorkers: 1,
    // Tests that shell out to crossplane, tsx or moto set their own (60-120 s); plain unit tests stay fast.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
