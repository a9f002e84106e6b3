import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * The suites that take minutes, longest first. A clean clone has no timing cache, and vitest then
 * runs files in glob order, which would leave the packaging suites for last and the two workers
 * idle in turn at the end; starting these first keeps the whole run short.
 */
const LONGEST_FIRST = [
  'test/e2e/target-outage-drill.test.ts',
  // Fifteen `serverless invoke local` processes, then cfn-lint's: started beside the target outage,
  // so they are done before the region-failure drill's outage, the suite a starved machine slows most.
  'test/package/invoke-local.test.ts',
  'test/package/cfn-lint.test.ts',
  'test/e2e/region-failure-drill.test.ts',
  'test/e2e/outage-reconcile-replay.test.ts',
  'test/e2e/exactly-once-delivery.test.ts',
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const at = LONGEST_FIRST.findIndex((path) => file.moduleId.endsWith(path));
      return at < 0 ? LONGEST_FIRST.length : at;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

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
    sequence: { sequencer: LongestFirst },
  },
});
