import { StoreRejectedError, StoreUnavailableError } from '../../domain/infrastructure-errors';
import {
  deriveJobState,
  isFinished,
  isRunnable,
  type JobSummary,
  type PartProgress,
} from '../../domain/jobs/job-model';
import { batchSizeFor, newBucket, retune, sendingElsewhere, shareOf, takeTokens } from '../../domain/jobs/pacing';
import type { Ownership } from '../delivery/delivery-deps';
import type { JobDeps } from './job-deps';
import { workPart } from './work-part';

/** What one runner pass did. */
export interface JobsReport {
  jobs: number;
  /** Parts that had work to do now (a part only waiting for a retry does not count). */
  parts: number;
  failures: string[];
}

const live = (progress: PartProgress | undefined): boolean =>
  progress?.state !== 'done' && progress?.state !== 'failed';

/**
 * Waits as the job's token bucket says, for this region's share of the budget. The bucket starts
 * at the job's first send (nothing is saved up while a part reads its first page) and is kept
 * across slices; `retune` follows the share as it changes within a slice.
 */
const pacer = (summary: JobSummary, rate: number, deps: JobDeps) => {
  const batch = batchSizeFor(rate);
  const settings = { rate };
  const retuneTo = (next: number): void => {
    settings.rate = next;
    const existing = deps.buckets.get(summary.jobId);
    if (existing) deps.buckets.set(summary.jobId, retune(existing, next, batch, deps.now().getTime()));
  };
  retuneTo(rate);
  const pace = async (n: number): Promise<void> => {
    const now = deps.now().getTime();
    const taken = takeTokens(deps.buckets.get(summary.jobId) ?? newBucket(settings.rate, batch, now), n, now);
    deps.buckets.set(summary.jobId, taken.bucket);
    if (taken.waitMs > 0) await deps.sleep(taken.waitMs);
  };
  return { pace, batch, retune: retuneTo };
};

/** This region's share of the job's budget: the parts it works against those other regions are sending for. */
const shareNow = (summary: JobSummary, mine: readonly Ownership[], progress: readonly PartProgress[]): number =>
  shareOf(summary.budgetPerSecond, mine.length, mine.length + sendingElsewhere(progress, mine));

/** Records a job's end once the parts say it is over, and takes it off the active list. */
const closeIfOver = async (summary: JobSummary, written: readonly PartProgress[], deps: JobDeps): Promise<boolean> => {
  // A part no runner has written yet is pending: the job is not over until every part of the summary is.
  const parts = summary.parts.map(
    (ref) => written.find((p) => p.zone === ref.zone && p.home === ref.home) ?? { state: 'pending' as const },
  );
  const state = deriveJobState(summary.state, parts);
  if (!isFinished(state)) return false;
  if (state !== summary.state)
    await deps.control.setJobState(summary.jobId, state, ['STARTING', 'RUNNING'], deps.now().toISOString());
  await deps.control.clearActive(summary.jobId);
  deps.buckets.delete(summary.jobId);
  return true;
};

/** Works the parts of one job this region owns now, one after another, until the deadline. */
const runJob = async (jobId: string, deadline: number, deps: JobDeps, report: JobsReport): Promise<void> => {
  const summary = await deps.control.getJob(jobId);
  if (!summary) return deps.control.clearActive(jobId);
  const progress = await deps.control.listParts(jobId);
  if (await closeIfOver(summary, progress, deps)) return;
  if (!isRunnable(summary.state)) return;
  const byKey = new Map(progress.map((p) => [`${p.zone}#${p.home}`, p]));
  const mine: Ownership[] = [];
  for (const part of summary.parts.filter((p) => live(byKey.get(`${p.zone}#${p.home}`)))) {
    const owned = await deps.ownership.current(part.zone, part.home);
    if (owned) mine.push(owned);
  }
  if (mine.length === 0) return;
  if (summary.state === 'STARTING')
    await deps.control.setJobState(jobId, 'RUNNING', ['STARTING'], deps.now().toISOString());
  report.jobs += 1;
  const { pace, batch, retune: retuneTo } = pacer(summary, shareNow(summary, mine, progress), deps);
  // Read again with the job's state (about once a second): parts that start sending elsewhere take a share, finished ones give theirs back.
  const reshare = async (): Promise<void> => retuneTo(shareNow(summary, mine, await deps.control.listParts(jobId)));
  for (const [i, ownership] of mine.entries()) {
    const now = deps.now().getTime();
    if (now >= deadline) break;
    // Each part gets its share of what is left of the slice.
    const partDeadline = now + (deadline - now) / (mine.length - i);
    const done = await workPart(summary, ownership, { deadline: partDeadline, pace, batch, reshare }, deps);
    if (done?.worked) report.parts += 1;
  }
};

/**
 * The job runner, called by the sweeper after each pass with the time left until the next one:
 * every active replay or reconcile job gets a slice on each of its parts whose (zone, home) this
 * region owns now. A part is therefore only ever worked where its zone's data lives, by the one
 * region holding that home's lease, and its claims carry that lease's epoch.
 */
export const runJobs = async (deps: JobDeps, deadline: number): Promise<JobsReport> => {
  const report: JobsReport = { jobs: 0, parts: 0, failures: [] };
  let active: string[];
  try {
    active = await deps.control.listActive();
  } catch (error) {
    if (!(error instanceof StoreUnavailableError)) throw error;
    report.failures.push(error.message);
    return report;
  }
  for (const [i, jobId] of active.entries()) {
    const now = deps.now().getTime();
    if (now >= deadline) break;
    try {
      await runJob(jobId, now + (deadline - now) / (active.length - i), deps, report);
    } catch (error) {
      if (!(error instanceof StoreUnavailableError || error instanceof StoreRejectedError)) throw error;
      report.failures.push(`${jobId}: ${error.message}`);
    }
  }
  return report;
};

/**
 * Runs jobs in slices of `sliceMs` until `end`, alongside the sweeper's passes (not between them),
 * so a job gets the whole invocation and its pace follows its budget. Each slice reads the active
 * jobs again; with none active it looks again every `idleMs`, so a new job starts within that.
 */
export const runJobsUntil = async (
  deps: JobDeps,
  end: number,
  timing: { sliceMs: number; idleMs: number },
): Promise<JobsReport> => {
  const total: JobsReport = { jobs: 0, parts: 0, failures: [] };
  while (deps.now().getTime() < end) {
    const report = await runJobs(deps, Math.min(end, deps.now().getTime() + timing.sliceMs));
    total.jobs += report.jobs;
    total.parts += report.parts;
    total.failures.push(...report.failures);
    const idle = Math.min(timing.idleMs, end - deps.now().getTime());
    if (report.parts === 0 && idle > 0) await deps.sleep(idle);
  }
  return total;
};
