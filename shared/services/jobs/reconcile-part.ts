import { keyDigest } from '../../domain/ingest/key-encoding';
import { replaySteps } from '../../domain/jobs/replay-steps';
import {
  classifyDeliveries,
  needsDelivery,
  type ClassifiedDelivery,
  type OutageContext,
} from '../../domain/reconcile/classify-deliveries';
import { shardOf } from '../../table-definitions';
import { countClassified, emptyClassCounts, isReported, type ReportRow } from '../../domain/reconcile/report';
import type { JobDeps } from './job-deps';
import { eventRowInput } from '../../adapters/ledger-table';
import { loadEvent, type LoadedEvent, type NotLoaded } from './load-event';
import {
  chunkedSender,
  mayGoOn,
  note,
  loadAhead,
  LOAD_CONCURRENCY,
  type PageWorker,
  type PartRun,
  type RetryWorker,
} from './part-run';
import type { SendOutcome } from './send-replay';

const reportRow = (run: PartRun, event: LoadedEvent, c: ClassifiedDelivery): ReportRow => ({
  zone: run.ownership.zone,
  home: event.item.home,
  id: event.item.id,
  eventId: event.item.eventId,
  keyDigest: keyDigest(event.item.id),
  source: event.item.source,
  tenant: event.item.tenant,
  receivedAt: event.item.receivedAt,
  to: c.to,
  target: c.target,
  region: c.region,
  class: c.class,
  ...(c.state ? { state: c.state } : {}),
  copies: c.copies,
  ...(c.reason ? { reason: c.reason } : {}),
});

/** The outage facts that apply to one event: the successor's watermark for the event's own index shard. */
const outageContext = (run: PartRun, event: LoadedEvent): OutageContext | undefined => {
  const { region, outage } = run.summary;
  if (!region || !outage) return undefined;
  const watermark = outage.watermarks?.[run.ownership.zone]?.[shardOf(event.item.home, event.item.id)];
  return {
    region,
    takeoverAt: outage.takeoverAt,
    ...(outage.recoveredAt ? { recoveredAt: outage.recoveredAt } : {}),
    ...(watermark !== undefined ? { watermark } : {}),
  };
};

/** Records what reconcile's own send of a missing delivery came to, on its report row. */
const settleOutcome = (run: PartRun, rows: Map<string, ReportRow>, deps: JobDeps) => async (o: SendOutcome) => {
  const classes = (run.cursor.classes ??= emptyClassCounts());
  const row = rows.get(`${o.unit.event.item.id}|${o.unit.step.delivery.to}`);
  if (o.outcome === 'sent') {
    classes.deliveredNow += 1;
    run.cursor.counts.sent += 1;
    if (row) Object.assign(row, { action: 'delivered-now', deliveredBy: { owner: o.owner, epoch: o.epoch } });
    return;
  }
  if (o.outcome === 'skipped') {
    note(run, 'skipped', o.reason);
    if (row) row.action = 'delivered-now';
    return;
  }
  if (o.outcome === 'failed') note(run, 'failed', o.reason);
  if (row) Object.assign(row, { action: o.outcome === 'failed' ? 'failed' : 'left-waiting', reason: o.reason });
  // Whatever is left waiting stays in the sweeper's view: it delivers it when it can.
  const due = new Date(deps.now().getTime() + deps.jobSettings.retryDelayMs).toISOString();
  await deps.ledger.events.settle(eventRowInput(o.unit.event.row), {
    settled: false,
    due,
    now: deps.now().toISOString(),
  });
};

/**
 * Works one event for reconcile: recomputes its plan from its pinned catalog version, classifies
 * every planned delivery against every owner's rows, lists what is not delivered exactly once,
 * and delivers what is missing now, under this owner's lease.
 */
const workEvent = async (
  run: PartRun,
  loaded: LoadedEvent | NotLoaded,
  deps: JobDeps,
  rows: Map<string, ReportRow>,
  sender: ReturnType<typeof chunkedSender>,
): Promise<void> => {
  const classes = (run.cursor.classes ??= emptyClassCounts());
  if ('skip' in loaded) {
    if (loaded.skip === 'unplannable') run.cursor.lastError = loaded.reason;
    return;
  }
  const { summary } = run;
  const outage = outageContext(run, loaded);
  const found = classifyDeliveries({
    planned: loaded.fullPlan,
    rows: loaded.rows.deliveries,
    home: loaded.item.home,
    receivedAt: loaded.item.receivedAt,
    now: deps.now(),
    ...(outage ? { outage } : {}),
  });
  for (const c of found) {
    countClassified(classes, loaded.item.tenant, c);
    run.cursor.counts.selected += 1;
    if (isReported(c)) rows.set(`${loaded.item.id}|${c.to}`, reportRow(run, loaded, c));
  }
  const missing = new Set(found.filter(needsDelivery).map((c) => c.to));
  classes.toDo += missing.size;
  const steps = replaySteps({
    planned: loaded.plan.filter((p) => missing.has(p.to)),
    rows: loaded.rows.deliveries,
    selection: {},
    mode: 'missing',
    jobId: summary.jobId,
    me: deps.region,
    receivedAt: loaded.item.receivedAt,
    now: deps.now(),
  });
  for (const step of steps) {
    if (step.action === 'send') continue;
    note(run, 'skipped', step.reason);
    const row = rows.get(`${loaded.item.id}|${step.delivery.to}`);
    if (row) Object.assign(row, { action: 'left-waiting', reason: step.reason });
  }
  await sender.add(steps.flatMap((step) => (step.action === 'send' ? [{ event: loaded, step }] : [])));
};

/** Reconcile's page worker: classify, deliver what is missing, then store the page's report rows. */
export const reconcilePage: PageWorker = async (run, events, deps) => {
  const rows = new Map<string, ReportRow>();
  const sender = chunkedSender(run, deps, settleOutcome(run, rows, deps));
  const loads = loadAhead(events, LOAD_CONCURRENCY, (s) => loadEvent(s.row, s.rows, deps));
  let done = 0;
  for (const pending of loads) {
    if (!(await mayGoOn(run, deps))) break;
    const loaded = await pending;
    run.cursor.counts.scanned += 1;
    await workEvent(run, loaded, deps, rows, sender);
    done += 1;
  }
  await sender.flush();
  await deps.ledger.jobs.putReportRows(
    run.ownership.zone,
    run.summary.jobId,
    [...rows.values()],
    deps.now().toISOString(),
  );
  return done;
};

/** Reconcile leaves nothing to retry: what it cannot deliver now is reported and left to the sweeper. */
export const reconcileRetries: RetryWorker = async () => undefined;
