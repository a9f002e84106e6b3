import type { Context } from 'aws-lambda';
import { readConfig } from '../../shared/config';
import { buildOnFirstCall, withMiddleware } from '../../shared/middleware';
import { runRepeatedly } from '../../shared/services/run-repeatedly';
import { sweepOnce, type SweepDeps, type SweepReport } from '../../shared/services/sweep';
import { deliveryDepsFor, localClientFor, ownershipFor, zoneTablesFor } from '../../shared/wiring';

type SweeperDeps = SweepDeps & { refresh: () => Promise<void>; passMs: number; runMs: number };

/** The sweeper (schedule): passes over every unsettled event of the homes this region owns, every few seconds for one schedule period. */
export const createHandler =
  (deps: SweeperDeps) =>
  async (
    _event: unknown,
    context?: Context,
  ): Promise<{ passes: number; due: number; settled: number; lagMs: number }> => {
    const reports = await runRepeatedly(
      {
        everyMs: deps.passMs,
        budgetMs: deps.runMs,
        now: Date.now,
        sleep: deps.sleep,
        ...(context?.getRemainingTimeInMillis ? { remainingMs: () => context.getRemainingTimeInMillis() } : {}),
      },
      async (): Promise<SweepReport> => {
        await deps.refresh();
        const report = await sweepOnce(deps);
        deps.metrics.flush();
        return report;
      },
    );
    const failures = reports.flatMap((r) => r.failures);
    if (failures.length > 0) deps.log.warn('sweep partitions could not be read', { failures: failures.slice(0, 10) });
    return {
      passes: reports.length,
      due: reports.reduce((n, r) => n + r.due, 0),
      settled: reports.reduce((n, r) => n + r.settled, 0),
      lagMs: Math.max(0, ...reports.map((r) => r.lagMs)),
    };
  };

const defaultDeps = (): SweeperDeps => {
  const config = readConfig(process.env);
  const client = localClientFor(config);
  const { deps, refresh } = deliveryDepsFor(config, client);
  return {
    ...deps,
    refresh,
    ownership: ownershipFor(config, client),
    inbox: zoneTablesFor(config, client).inbox,
    pageSize: 100,
    missingInboxAfterMs: 3_600_000,
    passMs: config.sweeper.passMs,
    runMs: config.sweeper.runMs,
  };
};

export const handler = withMiddleware(buildOnFirstCall(defaultDeps, createHandler));
