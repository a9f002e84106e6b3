import type { ClaimRequest } from '../../adapters/ledger-table';
import { CatalogVersionNotFoundError } from '../../domain/catalog';
import { keyDigest } from '../../domain/ingest/key-encoding';
import { StoreRejectedError, StoreUnavailableError } from '../../domain/infrastructure-errors';
import { DELIVERY_CONCURRENCY, mapWithConcurrency } from '../../domain/map-with-concurrency';
import { planDeliveries, type PlannedDelivery } from '../../domain/routing/plan-deliveries';
import { LEDGER_ROW } from '../../table-definitions';
import { claimRequestFor, leaseHeld } from './claim-request';
import type { DeliveryDeps, DeliveryState, EventResult, EventWork } from './delivery-deps';
import { planSteps, type Step } from './plan-steps';
import { claimKey, sendClaimed, type Claimed } from './send-claimed';

/** Each event claims one to a few deliveries at once; this keeps the claims in flight near DELIVERY_CONCURRENCY. */
const CLAIMING_EVENTS = DELIVERY_CONCURRENCY / 2;
/** How soon to look again at an event that could not be worked on now (store or catalog unavailable). */
const RETRY_SOON_MS = 5_000;

type Prepared =
  { work: EventWork; planned: PlannedDelivery[] } | { work: EventWork; problem: string; transient: boolean };

/**
 * Drives events to settled: plan each against its pinned catalog version and what is usable now,
 * claim, send in shared PutEvents batches, confirm, and record on each event row whether it is
 * settled or when the sweeper should look again. Nothing here throws for a retryable reason.
 */
export const driveEvents = async (works: readonly EventWork[], deps: DeliveryDeps): Promise<EventResult[]> => {
  const prepared = await Promise.all(works.map((work) => prepare(work, deps)));
  const states = new Map<EventWork, DeliveryState[]>();
  const claimed: Claimed[] = [];
  await mapWithConcurrency(prepared, CLAIMING_EVENTS, async (p) => {
    if ('problem' in p) return;
    deps.metrics.count('Routed');
    const steps = planSteps(p.work, p.planned, deps);
    const { done, mine } = await runSteps(p.work, steps, deps);
    states.set(p.work, done);
    claimed.push(...mine);
  });
  const sent = await sendClaimed(claimed, deps);
  for (const c of claimed)
    states.get(c.work)?.push(sent.get(claimKey(c)) ?? { to: c.delivery.to, status: 'held', reason: 'not sent' });
  return Promise.all(prepared.map((p) => finish(p, 'problem' in p ? undefined : (states.get(p.work) ?? []), deps)));
};

/** Loads the pinned catalog and plans; a missing or broken catalog, or a corrupt item, is a problem to park or retry. */
const prepare = async (work: EventWork, deps: DeliveryDeps): Promise<Prepared> => {
  try {
    const catalog = await deps.catalogs.version(work.item.routesVersion);
    const failedThere = failedWhileTripped(work, deps);
    const usable = (target: string, region: string): boolean =>
      deps.regionUsable(region) && deps.breakers.retryAt(target, region) === undefined && !failedThere(target, region);
    return { work, planned: planDeliveries({ item: work.item, catalog, usable }) };
  } catch (error) {
    const problem = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const young = deps.now().getTime() - Date.parse(work.item.receivedAt) < deps.settings.catalogGraceMs;
    const transient = error instanceof StoreUnavailableError || (error instanceof CatalogVersionNotFoundError && young);
    return { work, problem, transient };
  }
};

/**
 * Whether this router's `local` delivery of the event already failed in a region whose breaker is
 * not closed. Such a retry is not the region's probe: it fails over. Were it the probe, a failed
 * probe would send it back to wait for the next one, for as long as the target stays down.
 */
const failedWhileTripped = (work: EventWork, deps: DeliveryDeps): ((target: string, region: string) => boolean) => {
  const key = (target: string, region: string): string => JSON.stringify([target, region]);
  const tripped = new Set(deps.breakers.snapshot().map((b) => key(b.target, b.region)));
  const failed = new Set(
    (work.rows?.deliveries ?? [])
      .filter((r) => r.owner === deps.region && r.status === 'waiting' && r.to === `${r.target}#local`)
      .map((r) => key(r.target, r.region)),
  );
  return (target, region) => failed.has(key(target, region)) && tripped.has(key(target, region));
};

/** Claims or holds each step's delivery; returns what is already settled and what this router now holds. */
const runSteps = async (
  work: EventWork,
  steps: readonly Step[],
  deps: DeliveryDeps,
): Promise<{ done: DeliveryState[]; mine: Claimed[] }> => {
  const done: DeliveryState[] = [];
  const mine: Claimed[] = [];
  await Promise.all(
    steps.map(async (step) => {
      if (step.kind === 'done') {
        deps.metrics.count(step.elsewhere ? 'DeliveredElsewhere' : 'AlreadySettled');
        done.push(step.state);
        return;
      }
      try {
        const request = claimRequest(work, step.delivery, deps);
        if (!(await leaseHeld(work.ownership, Date.parse(request.now), deps.ownership))) {
          // The lease ended since the ownership was read: the event is the next owner's.
          deps.metrics.count('NotOwned');
          done.push({ to: step.delivery.to, status: 'held', due: request.claimDue, reason: 'lease ended' });
          return;
        }
        if (step.kind === 'hold') {
          const held = await deps.ledger.deliveries.hold({
            ...request,
            status: step.status,
            error: step.error,
            due: step.due,
          });
          if (held === 'new' && step.status === 'parked') deps.metrics.count('Parked');
          if (step.status === 'waiting') deps.metrics.count('Waiting');
          done.push({ to: step.delivery.to, status: step.status, due: step.due, reason: step.error });
          return;
        }
        const claim = await deps.ledger.deliveries.claim(request);
        if (claim.kind === 'claimed') {
          mine.push({
            work,
            delivery: step.delivery,
            sk: request.sk,
            token: request.token,
            owner: deps.region,
            // Counted across owners, so a consumer sees a possible repeat as attempt > 1.
            attempt: claim.attempt + step.priorAttempts,
            suspected: claim.suspectedRedelivery || step.possibleRepeat,
          });
        } else if (claim.kind === 'settled') {
          deps.metrics.count('AlreadySettled');
          done.push({ to: step.delivery.to, status: claim.status });
        } else {
          deps.metrics.count('ClaimHeld');
          done.push({
            to: step.delivery.to,
            status: 'held',
            due: 'due' in claim && claim.due ? claim.due : request.claimDue,
          });
        }
      } catch (error) {
        if (!(error instanceof StoreUnavailableError || error instanceof StoreRejectedError)) throw error;
        if (error instanceof StoreRejectedError) {
          // The ledger refuses this delivery's row for good: it can never be claimed, so it is parked with the reason (logged below).
          done.push({ to: step.delivery.to, status: 'parked', reason: error.message });
          deps.metrics.count('Parked');
          return;
        }
        const due = new Date(deps.now().getTime() + RETRY_SOON_MS).toISOString();
        done.push({ to: step.delivery.to, status: 'held', due, reason: error.message });
      }
    }),
  );
  return { done, mine };
};

const claimRequest = (work: EventWork, delivery: PlannedDelivery, deps: DeliveryDeps): ClaimRequest => {
  const row = LEDGER_ROW.delivery(delivery.to, deps.region);
  return claimRequestFor({
    item: work.item,
    delivery,
    ownership: work.ownership,
    owner: deps.region,
    sk: work.force && work.replayJob ? `${row}#replay:${work.replayJob}` : row,
    token: deps.newToken(),
    now: deps.now(),
    claimTtlMs: deps.settings.claimTtlMs,
    ...(work.replayJob ? { replayJob: work.replayJob } : {}),
  });
};

/** The unroutable pseudo-delivery an unplannable event is parked under, so it is visible and replayable. */
const unroutable = (work: EventWork): PlannedDelivery => ({
  to: 'unroutable#-',
  target: 'unroutable',
  placement: '-',
  region: work.ownership.home,
  bus: '-',
  routes: [],
});

/** Records the event's outcome on its row and logs its problems once, with the correlation keys. */
const finish = async (
  prepared: Prepared,
  states: DeliveryState[] | undefined,
  deps: DeliveryDeps,
): Promise<EventResult> => {
  const { work } = prepared;
  const now = deps.now();
  const keys = {
    eventId: work.item.eventId,
    keyDigest: keyDigest(work.item.id),
    home: work.item.home,
    zone: work.ownership.zone,
    routesVersion: work.item.routesVersion,
    epoch: work.ownership.epoch,
  };
  let deliveries = states ?? [];
  let problem: string | undefined;
  if ('problem' in prepared) {
    problem = prepared.problem;
    if (prepared.transient) {
      deliveries = [
        {
          to: 'unroutable#-',
          status: 'held',
          due: new Date(now.getTime() + RETRY_SOON_MS).toISOString(),
          reason: problem,
        },
      ];
    } else {
      const request = claimRequest(work, unroutable(work), deps);
      const held = await deps.ledger.deliveries
        .hold({ ...request, status: 'parked', error: `unroutable: ${problem}`, due: now.toISOString() })
        .catch((error: unknown) => {
          // A parked row the ledger refuses for good is logged with the reason below; one it cannot
          // write now is tried again soon, so the event is never settled without its parked row.
          if (error instanceof StoreUnavailableError) return 'unavailable' as const;
          if (error instanceof StoreRejectedError) return 'rejected' as const;
          throw error;
        });
      if (held === 'new') deps.metrics.count('Parked');
      deliveries = [
        held === 'unavailable'
          ? {
              to: 'unroutable#-',
              status: 'held',
              due: new Date(now.getTime() + RETRY_SOON_MS).toISOString(),
              reason: `${problem} (not parked yet: the ledger is unavailable)`,
            }
          : { to: 'unroutable#-', status: 'parked', reason: problem },
      ];
    }
  }
  const open = deliveries.filter((d) => d.status === 'waiting' || d.status === 'held');
  const settled = open.length === 0;
  const due = open.map((d) => d.due ?? now.toISOString()).sort()[0];
  const row = work.row ?? {
    id: work.item.id,
    home: work.item.home,
    zone: work.ownership.zone,
    tenant: work.item.tenant,
    source: work.item.source,
    eventId: work.item.eventId,
    receivedAt: work.item.receivedAt,
    windowEnd: work.item.windowEnd,
    routesVersion: work.item.routesVersion,
    expiresAt: work.item.expiresAt,
  };
  await deps.ledger.events
    .settle(
      row,
      settled
        ? { settled: true, now: now.toISOString() }
        : { settled: false, due: due ?? now.toISOString(), now: now.toISOString() },
    )
    .catch((error: unknown) =>
      deps.log.forEvent(keys, 'warn', 'event row not updated; the sweeper will find the event', {
        error: String(error),
      }),
    );
  const reasons = deliveries
    .filter((d) => d.reason && d.status !== 'delivered')
    .map((d) => ({ to: d.to, status: d.status, reason: d.reason }));
  if (problem || reasons.length > 0)
    deps.log.forEvent(keys, problem ? 'error' : 'warn', problem ? 'event not routable' : 'deliveries not settled', {
      problem,
      deliveries: reasons,
    });
  return {
    id: work.item.id,
    zone: work.ownership.zone,
    home: work.item.home,
    settled,
    ...(due ? { due } : {}),
    deliveries,
    ...(problem ? { problem } : {}),
  };
};
