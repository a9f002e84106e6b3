import type { PartCursor } from '../../adapters/ledger-table';
import { StoreRejectedError, StoreUnavailableError } from '../../domain/infrastructure-errors';
import {
  emptyBreakdown,
  isRunnable,
  MAX_PART_ERRORS,
  zeroCounts,
  type JobSummary,
  type PartProgress,
} from '../../domain/jobs/job-model';
import { windowOf } from '../../domain/jobs/selection';
import { emptyClassCounts } from '../../domain/reconcile/report';
import type { Ownership } from '../delivery/delivery-deps';
import { keysOf, readEvents } from './event-source';
import type { JobDeps } from './job-deps';
import type { PageWorker, PartRun, RetryWorker } from './part-run';
import { reconcilePage, reconcileRetries } from './reconcile-part';
import { replayPage, replayRetries } from './replay-part';

const WORKERS: Record<JobSummary['kind'], { page: PageWorker; retries: RetryWorker }> = {
  replay: { page: replayPage, retries: replayRetries },
  reconcile: { page: reconcilePage, retries: reconcileRetries },
};

/** A part's progress as the control store shows it: counts and state, no key. */
export const progressOf = (cursor: PartCursor): PartProgress => ({
  zone: cursor.zone,
  home: cursor.home,
  state: cursor.phase === 'done' ? 'done' : cursor.phase === 'failed' ? 'failed' : 'running',
  ...(cursor.owner ? { owner: cursor.owner } : {}),
  ...(cursor.epoch !== undefined ? { epoch: cursor.epoch } : {}),
  ...cursor.counts,
  breakdown: cursor.breakdown,
  ...(cursor.classes ? { classes: cursor.classes } : {}),
  ...(cursor.reasons ? { reasons: cursor.reasons } : {}),
  ...(cursor.startedAt ? { startedAt: cursor.startedAt } : {}),
  ...(cursor.updatedAt ? { updatedAt: cursor.updatedAt } : {}),
  ...(cursor.lastError ? { lastError: cursor.lastError } : {}),
  errors: cursor.errors,
});

const fresh = (summary: JobSummary) => () => ({
  phase: 'scan' as const,
  shard: 0,
  retry: [],
  counts: zeroCounts(),
  breakdown: emptyBreakdown(),
  errors: 0,
  ...(summary.kind === 'reconcile' ? { classes: emptyClassCounts() } : {}),
});

/** One step of a slice: a page of the scan, or the retries that are due; false when there is nothing to do now. */
const step = async (run: PartRun, deps: JobDeps, ids: readonly string[] | undefined): Promise<boolean> => {
  const { cursor, summary } = run;
  const workers = WORKERS[summary.kind];
  if (cursor.phase === 'scan') {
    const at = { shard: cursor.shard, ...(cursor.after ? { after: cursor.after } : {}) };
    const source = {
      ledger: deps.ledger,
      zone: cursor.zone,
      home: cursor.home,
      window: windowOf(summary.selection, new Date(summary.createdAt)),
      pageSize: deps.jobSettings.pageSize,
      ...(keysOf(ids) ? { keys: keysOf(ids) } : {}),
    };
    const page = await readEvents(source, at);
    const done = await workers.page(run, page.events, deps);
    const next = done === page.events.length ? page.next : (page.events[done - 1]?.next ?? at);
    cursor.shard = next.shard;
    if (next.after) cursor.after = next.after;
    else delete cursor.after;
    if (done === page.events.length && page.exhausted) cursor.phase = cursor.retry.length > 0 ? 'retry' : 'done';
    return true;
  }
  const now = deps.now().toISOString();
  const due = cursor.retry.filter((r) => r.due <= now);
  if (cursor.retry.length === 0 || summary.dryRun) cursor.phase = 'done';
  if (due.length === 0) return false;
  cursor.retry = cursor.retry.filter((r) => r.due > now);
  await workers.retries(run, due, deps);
  if (cursor.retry.length === 0) cursor.phase = 'done';
  return true;
};

const transient = (error: unknown): boolean =>
  error instanceof StoreUnavailableError || error instanceof StoreRejectedError;

/**
 * Works one part of a job for one slice, as the owner of its (zone, home) under `ownership`:
 * takes the part's lock, resumes from its cursor, works pages (paced) until the deadline, the
 * job is paused or cancelled, or the lease is gone, and saves the cursor with its counts after
 * every step, so a crash resumes where the last save left off. Returns the part's progress and
 * whether there was work to do now, or undefined when another runner holds it.
 */
export const workPart = async (
  summary: JobSummary,
  ownership: Ownership,
  options: { deadline: number; pace: PartRun['pace']; batch: number; reshare?: () => Promise<void> },
  deps: JobDeps,
): Promise<{ progress: PartProgress; worked: boolean } | undefined> => {
  const lockFor = (until: number) => ({
    holder: deps.holder,
    now: deps.now().toISOString(),
    until: new Date(until).toISOString(),
  });
  const lock = () => lockFor(options.deadline + deps.jobSettings.lockMs);
  const cursor = await deps.ledger.jobs.acquirePart(
    ownership.zone,
    summary.jobId,
    ownership.home,
    lock(),
    fresh(summary),
  );
  if (!cursor) return undefined;
  if (cursor.phase === 'done' || cursor.phase === 'failed') return { progress: progressOf(cursor), worked: false };
  Object.assign(cursor, {
    owner: deps.region,
    epoch: ownership.epoch,
    startedAt: cursor.startedAt ?? deps.now().toISOString(),
  });
  const ids = summary.selection.eventIdCount
    ? await deps.ledger.jobs.getSelection(ownership.zone, summary.jobId)
    : undefined;
  if (summary.selection.eventIdCount && !ids) cursor.phase = 'done';
  // The job's state, the lease and the parts' progress (for the budget's share) are read in the
  // background, at most once a second, so the paced sends never wait for the check; a pause, a
  // cancel or a lost lease stops the slice within about a second.
  let stop = false;
  let checking: Promise<void> | undefined;
  let checkedAt = 0;
  const check = async (): Promise<void> => {
    await deps.control.putPart(summary.jobId, progressOf({ ...cursor, updatedAt: deps.now().toISOString() }));
    stop = stop || !(await stillRunnable(summary, ownership, deps));
    await options.reshare?.();
  };
  const stopped = async (): Promise<boolean> => {
    if (!checking && deps.now().getTime() - checkedAt >= deps.jobSettings.checkEveryMs) {
      checkedAt = deps.now().getTime();
      checking = check()
        .catch((error: unknown) => deps.log.warn('job state not read', { error: String(error) }))
        .finally(() => (checking = undefined));
    }
    return stop;
  };
  let worked = false;
  const run: PartRun = {
    summary,
    cursor,
    ownership,
    deadline: options.deadline,
    pace: options.pace,
    batch: options.batch,
    stopped,
    ...(ids ? { ids: new Set(ids) } : {}),
  };
  try {
    while (deps.now().getTime() < options.deadline && cursor.phase !== 'done' && !(await stopped())) {
      if (!(await step(run, deps, ids))) break;
      worked = true;
      cursor.errors = 0;
      if (!(await deps.ledger.jobs.savePart(cursor, lock()))) return undefined;
    }
  } catch (error) {
    if (!transient(error)) {
      cursor.errors += 1;
      if (cursor.errors >= MAX_PART_ERRORS) cursor.phase = 'failed';
    }
    cursor.lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    deps.log.warn('job part slice stopped', {
      jobId: summary.jobId,
      zone: ownership.zone,
      home: ownership.home,
      error: cursor.lastError,
    });
  }
  await checking;
  // Released at once (the lock ends now), so the next slice, here or in a successor, starts without waiting.
  if (!(await deps.ledger.jobs.savePart(cursor, lockFor(deps.now().getTime())))) return undefined;
  const progress = progressOf({ ...cursor, updatedAt: deps.now().toISOString() });
  await deps.control.putPart(summary.jobId, progress);
  return { progress, worked };
};

/** Whether the slice may go on: the job is not paused or cancelled, and this region still owns the (zone, home) at that epoch. */
const stillRunnable = async (summary: JobSummary, ownership: Ownership, deps: JobDeps): Promise<boolean> => {
  const current = await deps.control.getJob(summary.jobId);
  if (!current || !isRunnable(current.state)) return false;
  const owned = await deps.ownership.current(ownership.zone, ownership.home);
  return owned?.epoch === ownership.epoch;
};
