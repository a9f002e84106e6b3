import type { RouterHarness } from '../../../local/harness/router-harness';

const FUNCTIONS = ['route', 'sweeper', 'health'] as const;

/**
 * What a failed drill needs to be read: each function's counters in `regions` and its last error
 * lines (what the local Lambda service and Powertools recorded); route, sweeper and health unless named.
 */
export const functionDiagnostics = (
  harness: RouterHarness,
  regions: readonly string[],
  names: readonly string[] = FUNCTIONS,
): string =>
  JSON.stringify(
    regions.flatMap((region) =>
      names.map((name) => {
        const { invocations, errors, errorTypes, timeouts, inFlight } =
          harness.rc.cloud.runtime.stats(region, name) ?? {};
        const failures = harness.rc.cloud.runtime
          .logs(region, name)
          .filter((l) => /"level":"ERROR"|errorMessage|Task timed out/.test(l.line))
          .slice(-3)
          .map((l) => `${l.at} ${l.line.slice(0, 600)}`);
        return { region, name, invocations, errors, errorTypes, timeouts, inFlight, failures };
      }),
    ),
    null,
    1,
  );
