import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration and e2e suites each start their own local cloud on ephemeral ports;
    // two workers keep a 2-core machine busy without starving the JVM.
    maxWorkers: 2,
    reporters: ['default'],
    setupFiles: ['./vitest.setup.ts'],
  },
});
