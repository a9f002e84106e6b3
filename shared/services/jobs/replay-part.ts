import type { RetryEntry } from '../../adapters/ledger-table';
import { bump, type Selection } from '../../domain/jobs/job-model';
import { replaySteps, type ReplayStep } from '../../domain/jobs/replay-steps';
import { eventMatches } from '../../domain/jobs/selection';
import type { SourcedEvent } from './event-source';
import type { JobDeps } from './job-deps';
import { eventRowInput } from '../../adapters/ledger-table';
import { loadEvent, type LoadedEvent, type NotLoaded } from './load-event';
import {
  chunkedSender,
  mayGoOn,
  loadAhead,
  LOAD_CONCURRENCY,
  note,
  retryLater,
  type PageWorker,
  type PartRun,
  type RetryWorker,
} from './part-run';
import type { SendOutcome } from './send-replay';

/** A sent (or, in a dry run, chosen) delivery counted by tenant, each of its routes, and the region it goes to. */
const countBreakdown = (run: PartRun, event: LoadedEvent, step: ReplayStep): void => {
  const { breakdown } = run.cursor;
  bump(breakdown.byTenant, event.item.tenant);
  for (const route of step.delivery.routes) bump(breakdown.byRoute, route);
  bump(breakdown.byTargetRegion, step.delivery.region);
};

const stepsFor = (run: PartRun, event: LoadedEvent, deps: JobDeps): ReplayStep[] =>
  replaySteps({
    planned: event.plan,
    rows: event.rows.deliveries,
    selection: run.summary.selection as Selection,
    mode: run.summary.mode,
    jobId: run.summary.jobId,
    me: deps.region,
    receivedAt: event.item.receivedAt,
    now: deps.now(),
  });

/** Settles one send's outcome on the part's counts and retry list. */
const settleOutcome = (run: PartRun, deps: JobDeps, tries: Map<string, number>) => async (o: SendOutcome) => {
  const { cursor } = run;
  const { event, step } = o.unit;
  if (o.outcome === 'sent') {
    cursor.counts.sent += 1;
    countBreakdown(run, event, step);
  } else if (o.outcome === 'skipped') note(run, 'skipped', o.reason);
  else if (o.outcome === 'failed') {
    note(run, 'failed', o.reason);
    cursor.lastError = o.reason;
  } else {
    retryLater(run, event.item.id, [step.delivery.to], deps, tries.get(event.item.id) ?? 0);
    // A missing delivery left waiting must stay in the sweeper's view if this job gives up on it.
    if (run.summary.mode === 'missing') {
      const due = new Date(deps.now().getTime() + deps.jobSettings.retryDelayMs).toISOString();
      await deps.ledger.events.settle(eventRowInput(event.row), { settled: false, due, now: deps.now().toISOString() });
    }
  }
};

/**
 * Works one event for a replay: chooses its deliveries (`only`: the ones a retry still waits for),
 * counts them, and queues the sends; a dry run only counts what it would send.
 */
const workEvent = async (
  run: PartRun,
  loaded: LoadedEvent | NotLoaded,
  deps: JobDeps,
  sender: ReturnType<typeof chunkedSender>,
  retry?: RetryEntry,
): Promise<void> => {
  const { cursor } = run;
  if ('skip' in loaded) {
    if (loaded.skip === 'unplannable') {
      note(run, 'failed', 'unplannable', retry ? retry.tos.length : 1);
      cursor.lastError = loaded.reason;
    } else if (retry) note(run, 'skipped', `event ${loaded.skip}`, retry.tos.length);
    return;
  }
  const all = stepsFor(run, loaded, deps);
  const steps = retry ? all.filter((s) => retry.tos.includes(s.delivery.to)) : all;
  if (retry) note(run, 'skipped', 'no longer selected', retry.tos.length - steps.length);
  else cursor.counts.selected += steps.length;
  const later: string[] = [];
  const { dryRun } = run.summary;
  for (const step of steps) {
    if (step.action === 'send') {
      if (dryRun) countBreakdown(run, loaded, step);
    } else if (step.reason === 'in-flight' && !dryRun) later.push(step.delivery.to);
    else if (step.reason === 'already-replayed' && !dryRun) {
      // Sent by this job before a crash moved the cursor back: counted as sent, not sent again.
      cursor.counts.sent += 1;
      countBreakdown(run, loaded, step);
    } else note(run, 'skipped', step.reason);
  }
  // A live claim (another worker's, or this job's before a crash) is looked at again once it expires.
  const claimDue = loaded.rows.deliveries
    .filter((r) => later.includes(r.to) && r.status === 'claimed')
    .map((r) => r.due ?? '')
    .sort()
    .pop();
  retryLater(run, loaded.item.id, later, deps, retry?.tries ?? 0, claimDue);
  if (!dryRun) await sender.add(steps.flatMap((step) => (step.action === 'send' ? [{ event: loaded, step }] : [])));
};

/** A replay's page worker: every selected event of the page, until the slice runs out of time. */
export const replayPage: PageWorker = async (run, events: readonly SourcedEvent[], deps) => {
  const tries = new Map<string, number>();
  const sender = chunkedSender(run, deps, settleOutcome(run, deps, tries));
  const selectedAt = new Date(run.summary.createdAt);
  // Reads run ahead of the (paced) sends: a page's events are loaded together.
  const loads = loadAhead(events, LOAD_CONCURRENCY, async (s): Promise<LoadedEvent | NotLoaded | undefined> =>
    eventMatches(run.summary.selection, s.row, selectedAt, run.ids) ? loadEvent(s.row, s.rows, deps) : undefined,
  );
  let done = 0;
  for (const pending of loads) {
    if (!(await mayGoOn(run, deps))) break;
    const loaded = await pending;
    run.cursor.counts.scanned += 1;
    if (loaded) await workEvent(run, loaded, deps, sender);
    done += 1;
  }
  await sender.flush();
  return done;
};

/** A replay's retry worker: the deliveries it could not settle the first time, event by event. */
export const replayRetries: RetryWorker = async (run, due, deps) => {
  const tries = new Map(due.map((r) => [r.id, r.tries]));
  const sender = chunkedSender(run, deps, settleOutcome(run, deps, tries));
  for (const [i, entry] of due.entries()) {
    if (!(await mayGoOn(run, deps))) {
      // Stopped (deadline, pause, cancel, lease): what is left stays on the list for the next slice.
      run.cursor.retry.push(...due.slice(i));
      break;
    }
    const rows = await deps.ledger.query.rows(run.ownership.zone, entry.id);
    const row = rows.events.find((e) => e.home === run.ownership.home);
    if (row) await workEvent(run, await loadEvent(row, rows, deps), deps, sender, entry);
    else note(run, 'skipped', 'event row gone', entry.tos.length);
  }
  await sender.flush();
};
