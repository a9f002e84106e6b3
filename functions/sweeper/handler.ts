import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { readConfig } from '../../shared/config';
import { buildOnFirstCall, withMiddleware } from '../../shared/middleware';
import { DEFAULT_JOB_SETTINGS, type JobDeps } from '../../shared/services/jobs/job-deps';
import { recordEpochs } from '../../shared/services/jobs/record-epochs';
import { runJobsUntil } from '../../shared/services/jobs/run-jobs';
import { runRepeatedly } from '../../shared/services/run-repeatedly';
import { sweepOnce, type SweepDeps, type SweepReport } from '../../shared/services/sweep';
import { controlFor, deliveryDepsFor, localClientFor, ownershipFor, zoneTablesFor } from '../../shared/wiring';

type SweeperDeps = SweepDeps &
  JobDeps & { refresh: () => Promise<void>; passMs: number; runMs: number; recordedEpochs: Set<string> };

/** How long the job runner works before it reads the active jobs again (a cancel is seen sooner, every second). */
const JOB_SLICE_MS = 15_000;
/** Time the job runner leaves at the end of the invocation, to save its cursors. */
const JOBS_END_MARGIN_MS = 2_000;

/**
 * Who holds a job part's lock: this invocation, not the container. Scheduled invocations overlap
 * when one runs past its period or a region restarts; two runners of one part would each count
 * the other's sends as theirs ("delivered meanwhile") and the last cursor saved would win.
 */
const runnerOf = (container: string, context?: Context): string =>
  `${container}/${context?.awsRequestId ?? randomUUID()}`;

/**
 * The sweeper (schedule): passes over every unsettled event of the homes this region owns, every
 * few seconds for one schedule period. Alongside the passes, the job runner works the replay and
 * reconcile parts this region owns, in slices as long as a pass (docs/runbooks/replay.md).
 */
export const createHandler =
  (deps: SweeperDeps) =>
  async (
    _event: unknown,
    context?: Context,
  ): Promise<{ passes: number; due: number; settled: number; lagMs: number; jobParts: number }> => {
    const started = Date.now();
    const left = context?.getRemainingTimeInMillis ? context.getRemainingTimeInMillis() : Infinity;
    // Up to a second before the next scheduled invocation, which takes the parts over from their saved cursors.
    const jobsEnd = Math.min(started + deps.runMs - Math.min(deps.passMs, 1_000), started + left - JOBS_END_MARGIN_MS);
    const [reports, jobs] = await Promise.all([
      runRepeatedly(
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
          // Best effort: a store that cannot be reached now is tried again next pass.
          await recordEpochs(deps, deps.recordedEpochs).catch((error: unknown) =>
            deps.log.warn('ownership epoch not recorded', { error: String(error) }),
          );
          deps.metrics.flush();
          return report;
        },
      ),
      runJobsUntil({ ...deps, holder: runnerOf(deps.holder, context) }, jobsEnd, {
        sliceMs: JOB_SLICE_MS,
        idleMs: deps.passMs,
      }),
    ]);
    if (jobs.failures.length > 0)
      deps.log.warn('job parts could not be worked', { failures: jobs.failures.slice(0, 10) });
    const failures = reports.flatMap((r) => r.failures);
    if (failures.length > 0) deps.log.warn('sweep partitions could not be read', { failures: failures.slice(0, 10) });
    return {
      passes: reports.length,
      due: reports.reduce((n, r) => n + r.due, 0),
      settled: reports.reduce((n, r) => n + r.settled, 0),
      lagMs: Math.max(0, ...reports.map((r) => r.lagMs)),
      jobParts: jobs.parts,
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
    control: controlFor(config, client),
    // The container; each invocation adds its request id (runnerOf).
    holder: `${config.region}/${randomUUID()}`,
    jobSettings: DEFAULT_JOB_SETTINGS,
    buckets: new Map(),
    recordedEpochs: new Set(),
    pageSize: 100,
    missingInboxAfterMs: 3_600_000,
    passMs: config.sweeper.passMs,
    runMs: config.sweeper.runMs,
  };
};

export const handler = withMiddleware(buildOnFirstCall(defaultDeps, createHandler));
