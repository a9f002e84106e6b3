import type { PartCursor, RetryEntry } from '../../adapters/ledger-table';
import type { JobSummary } from '../../domain/jobs/job-model';
import type { Ownership } from '../delivery/delivery-deps';
import type { SourcedEvent } from './event-source';
import type { JobDeps } from './job-deps';
import type { SendOutcome, SendUnit } from './send-replay';
import { sendReplay } from './send-replay';

/** One slice of work on one part: the job, the part's cursor (mutated as work is done), the lease it runs under. */
export interface PartRun {
  summary: JobSummary;
  cursor: PartCursor;
  ownership: Ownership;
  /** When the slice must stop starting new work (ms since the epoch). */
  deadline: number;
  /** Selected Switchyard keys or EventBridge event ids, when the job names its events. */
  ids?: ReadonlySet<string>;
  /** Waits until the budget allows sending `n` entries. */
  pace: (n: number) => Promise<void>;
  /** Entries per PutEvents call at this budget. */
  batch: number;
  /** True once the job is paused or cancelled, or the lease is gone (read at most once a second). */
  stopped: () => Promise<boolean>;
}

/** Works one page of events; returns how many (from the start) are fully done, so the cursor can move past them. */
export type PageWorker = (run: PartRun, events: readonly SourcedEvent[], deps: JobDeps) => Promise<number>;

/** Works the events a part comes back to; returns the entries still to look at again. */
export type RetryWorker = (run: PartRun, due: readonly RetryEntry[], deps: JobDeps) => Promise<void>;

/** Events of a page read at once (inbox item and ledger rows each). */
export const LOAD_CONCURRENCY = 16;

/**
 * Starts `fn` on every item, at most `limit` at a time and in order, and returns one promise per
 * item: a page's later events load while its earlier ones are being sent.
 */
export const loadAhead = <T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R>[] => {
  let running = 0;
  const waiting: (() => void)[] = [];
  const slot = async (): Promise<void> => {
    while (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
  };
  const release = (): void => {
    running -= 1;
    waiting.shift()?.();
  };
  let previous: Promise<void> = Promise.resolve();
  return items.map((item) => {
    const started = previous.then(slot);
    previous = started;
    const result = started.then(() => fn(item)).finally(release);
    // Awaited in order by the page worker; a failure left behind by an early stop is not unhandled.
    result.catch(() => undefined);
    return result;
  });
};

/** Whether the slice may start on another event: time is left, and the job still runs under this lease. */
export const mayGoOn = async (run: PartRun, deps: Pick<JobDeps, 'now'>): Promise<boolean> =>
  deps.now().getTime() < run.deadline && !(await run.stopped());

/** Counts deliveries skipped or failed, under their reason (status shows both). */
export const note = (run: PartRun, outcome: 'skipped' | 'failed', reason: string, n = 1): void => {
  if (n <= 0) return;
  run.cursor.counts[outcome] += n;
  const reasons = (run.cursor.reasons ??= {});
  const key = `${outcome}: ${reason.replace(/[^\w -]/g, ' ').slice(0, 60)}`;
  reasons[key] = (reasons[key] ?? 0) + n;
};

/**
 * Puts an event (again) on the part's retry list, due after the retry delay or when the claim it
 * waits for expires (`notBefore`), or counts its deliveries failed once it was tried enough.
 */
export const retryLater = (
  run: PartRun,
  id: string,
  tos: readonly string[],
  deps: JobDeps,
  tries = 0,
  notBefore = '',
): void => {
  if (tos.length === 0) return;
  const { cursor } = run;
  const existing = cursor.retry.find((r) => r.id === id);
  if (tries + 1 > deps.jobSettings.maxRetries) {
    note(run, 'failed', 'not settled after retries', tos.length);
    cursor.lastError = `gave up on ${tos.length} deliveries of an event after ${tries} tries`;
    return;
  }
  const soon = new Date(deps.now().getTime() + deps.jobSettings.retryDelayMs).toISOString();
  const due = notBefore > soon ? notBefore : soon;
  if (existing) existing.tos = [...new Set([...existing.tos, ...tos])];
  else cursor.retry.push({ id, tos: [...tos], due, tries: tries + 1 });
};

/**
 * Paced chunks in flight at once: the budget sets when each starts; this only caps how many slow
 * round trips (claim, PutEvents, confirm) may overlap, so a slow store does not slow the pace.
 */
export const CHUNKS_IN_FLIGHT = 16;

/**
 * Collects send units and sends them in chunks of one PutEvents batch as they fill, each chunk
 * started when the budget allows (several may be in flight); `flush` sends the rest and waits for
 * all. Every outcome goes to `settle`.
 */
export const chunkedSender = (run: PartRun, deps: JobDeps, settle: (outcome: SendOutcome) => void | Promise<void>) => {
  const pending: SendUnit[] = [];
  const inFlight = new Set<Promise<void>>();
  const context = { ownership: run.ownership, jobId: run.summary.jobId, mode: run.summary.mode };
  const start = async (chunk: SendUnit[]): Promise<void> => {
    while (inFlight.size >= CHUNKS_IN_FLIGHT) await Promise.race(inFlight);
    await run.pace(chunk.length);
    const sent: Promise<void> = sendReplay(chunk, context, deps)
      .then(async (outcomes) => {
        for (const outcome of outcomes) await settle(outcome);
      })
      .finally(() => inFlight.delete(sent));
    // Awaited by the next race or the flush; this branch only keeps a failure from going unhandled meanwhile.
    sent.catch(() => undefined);
    inFlight.add(sent);
  };
  return {
    async add(units: readonly SendUnit[]): Promise<void> {
      pending.push(...units);
      while (pending.length >= run.batch) await start(pending.splice(0, run.batch));
    },
    async flush(): Promise<void> {
      while (pending.length > 0) await start(pending.splice(0, run.batch));
      await Promise.all(inFlight);
    },
  };
};
