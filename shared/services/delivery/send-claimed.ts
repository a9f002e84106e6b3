import { backoffDelay } from '../../domain/delivery/backoff';
import { classifyEntryResult, type EntryOutcome } from '../../domain/delivery/classify-result';
import { buildOutboundEntry, type OutboundEntry } from '../../domain/delivery/outbound-entry';
import { planBatches } from '../../domain/delivery/plan-batches';
import { groupBy } from '../../domain/group-by';
import { BusCallFailedError, StoreRejectedError, StoreUnavailableError } from '../../domain/infrastructure-errors';
import { DELIVERY_CONCURRENCY, mapWithConcurrency } from '../../domain/map-with-concurrency';
import type { PlannedDelivery } from '../../domain/routing/plan-deliveries';
import { leaseHeld } from './claim-request';
import type { DeliveryDeps, DeliveryState, EventWork } from './delivery-deps';

/** A delivery this router holds the claim for, ready to send. */
export interface Claimed {
  work: EventWork;
  delivery: PlannedDelivery;
  sk: string;
  token: string;
  /** The claimant: this router's region, holding the lease on (zone, home) at `work.ownership.epoch`. */
  owner: string;
  attempt: number;
  /** This send may repeat an earlier one whose outcome is unknown: counted as a redelivery when confirmed. */
  suspected: boolean;
}

type Pending = Claimed & { entry: OutboundEntry };

const BATCHES_IN_FLIGHT_PER_REGION = Math.max(1, Math.floor(DELIVERY_CONCURRENCY / 10));

const entryFor = (c: Claimed): OutboundEntry =>
  buildOutboundEntry(c.work.item, c.delivery, {
    attempt: c.attempt,
    owner: c.owner,
    epoch: c.work.ownership.epoch,
    ...(c.work.replayJob ? { replayJob: c.work.replayJob } : {}),
  });

/** The key `sendClaimed` reports a claimed delivery's state under. */
export const claimKey = (c: Pick<Claimed, 'sk' | 'work'>): string => `${c.work.item.id}|${c.sk}`;

/**
 * Sends claimed deliveries in PutEvents batches per region (≤ 10 entries, under the size limit),
 * a few rounds for transient failures, then settles each on its claim token: delivered, parked
 * (permanent error), or waiting (retryable; the sweeper tries again at its due time). Every
 * outcome feeds the (target, region) breaker; a send whose outcome is unknown goes out again as
 * the next attempt and is counted.
 */
export const sendClaimed = async (
  claimed: readonly Claimed[],
  deps: DeliveryDeps,
): Promise<Map<string, DeliveryState>> => {
  const states = new Map<string, DeliveryState>();
  let pending: Pending[] = claimed.map((c) => ({ ...c, entry: entryFor(c) }));
  for (let round = 0; round < deps.settings.maxRounds && pending.length > 0; round += 1) {
    if (round > 0) {
      deps.metrics.count('DeliveryRetried', pending.length);
      await deps.sleep(backoffDelay(round, deps.settings.backoff, deps.random));
    }
    const last = round === deps.settings.maxRounds - 1;
    pending = await sendRound(pending, deps, last, states);
  }
  return states;
};

const sendRound = async (
  pending: Pending[],
  deps: DeliveryDeps,
  last: boolean,
  states: Map<string, DeliveryState>,
): Promise<Pending[]> => {
  // A lease that ended since the claim: nothing more is sent under it. The claim stays, expires, and
  // the next owner takes it over (as a possible repeat when an earlier round may have arrived).
  const now = deps.now().getTime();
  const held = await Promise.all(pending.map((p) => leaseHeld(p.work.ownership, now, deps.ownership)));
  const lapsed = pending.filter((_, i) => !held[i]);
  if (lapsed.length > 0) deps.metrics.count('NotOwned', lapsed.length);
  const due = new Date(now + deps.settings.claimTtlMs).toISOString();
  for (const p of lapsed)
    states.set(claimKey(p), { to: p.delivery.to, status: 'held', due, reason: 'lease ended before the send' });
  const open = closedBreakersOnly(
    pending.filter((_, i) => held[i]),
    deps,
  );
  // Entries an open breaker held back this round (each goes to the waiting set with the breaker's retry time).
  if (open.blocked.length > 0) deps.metrics.count('BreakerOpen', open.blocked.length);
  await Promise.all(
    open.blocked.map((p) =>
      settle(
        p,
        {
          outcome: 'retry',
          errorCode: 'BreakerOpen',
          errorMessage: `breaker for ${p.delivery.target} in ${p.delivery.region} is open`,
        },
        deps,
        states,
      ),
    ),
  );
  const retry: Pending[] = [];
  await Promise.all(
    [...groupBy(open.sendable, (p) => p.delivery.region).values()].map(async (regional) => {
      const { batches, oversized } = planBatches(
        regional.map((p) => ({ ...p, size: p.entry.size })),
        10,
        deps.settings.maxBatchBytes,
      );
      await Promise.all(
        oversized.map((p) =>
          settle(
            p,
            {
              outcome: 'park',
              errorCode: 'EntryTooLarge',
              errorMessage: `entry is ${p.entry.size} bytes, over the ${deps.settings.maxBatchBytes}-byte PutEvents limit`,
            },
            deps,
            states,
          ),
        ),
      );
      await mapWithConcurrency(batches, BATCHES_IN_FLIGHT_PER_REGION, async (batch) => {
        const outcomes = await sendBatch(batch, deps);
        await Promise.all(
          batch.map(async (p, i) => {
            const outcome = outcomes[i] ?? { outcome: 'retry', errorCode: 'MissingResult', errorMessage: 'no result' };
            if (outcome.outcome === 'retry' && !last) retry.push(outcome.mayHaveArrived ? nextAttempt(p) : p);
            else await settle(p, outcome, deps, states);
          }),
        );
      });
    }),
  );
  return retry;
};

/** A breaker that is open holds its entries back (the first send after its cool-down is the probe). */
const closedBreakersOnly = (pending: Pending[], deps: DeliveryDeps): { sendable: Pending[]; blocked: Pending[] } => {
  const decisions = new Map<string, boolean>();
  const usable = (p: Pending): boolean => {
    const key = JSON.stringify([p.delivery.target, p.delivery.region]);
    if (!decisions.has(key)) decisions.set(key, deps.breakers.usable(p.delivery.target, p.delivery.region));
    return decisions.get(key) ?? false;
  };
  return { sendable: pending.filter(usable), blocked: pending.filter((p) => !usable(p)) };
};

const sendBatch = async (batch: Pending[], deps: DeliveryDeps): Promise<EntryOutcome[]> => {
  const region = batch[0]?.delivery.region ?? '';
  let outcomes: EntryOutcome[];
  try {
    deps.metrics.count('PutEventsCalls');
    const results = await deps.bus.putEvents(
      region,
      batch.map((p) => p.entry),
    );
    outcomes = batch.map((_, i) => classifyEntryResult(results[i]));
  } catch (error) {
    if (!(error instanceof BusCallFailedError)) throw error;
    const outcome: EntryOutcome = error.retryable
      ? {
          outcome: 'retry',
          errorCode: error.errorCode,
          errorMessage: error.message,
          mayHaveArrived: error.outcomeUnknown,
        }
      : { outcome: 'park', errorCode: error.errorCode, errorMessage: error.message };
    outcomes = batch.map(() => outcome);
  }
  // A permanent per-entry error is the event's fault, not the bus's: only delivered and retryable outcomes feed the breaker.
  batch.forEach((p, i) => {
    const outcome = outcomes[i];
    if (outcome?.outcome !== 'park') deps.breakers.record(p.delivery.target, region, outcome?.outcome === 'delivered');
  });
  return outcomes;
};

/** The send after one whose outcome is unknown may repeat it: a new attempt number, counted as a redelivery. */
const nextAttempt = (p: Pending): Pending => {
  const next = { ...p, attempt: p.attempt + 1, suspected: true };
  return { ...next, entry: entryFor(next) };
};

const settle = async (
  p: Pending,
  outcome: EntryOutcome,
  deps: DeliveryDeps,
  states: Map<string, DeliveryState>,
): Promise<void> => {
  const zone = p.work.ownership.zone;
  const key = { zone, id: p.work.item.id, sk: p.sk, token: p.token };
  const now = deps.now();
  const to = p.delivery.to;
  try {
    if (outcome.outcome === 'delivered') {
      const confirmed = await deps.ledger.deliveries.confirm({
        ...key,
        attempt: p.attempt,
        busEventId: outcome.busEventId,
        now: now.toISOString(),
        redelivered: p.suspected,
      });
      deps.metrics.count(confirmed === 'confirmed' ? 'Delivered' : 'ClaimLost');
      if (p.suspected) deps.metrics.count('Redelivered');
      if (p.work.replayJob) deps.metrics.count('Replayed');
      if (p.delivery.placement === 'local' && p.delivery.region !== p.work.item.home) deps.metrics.count('FailedOver');
      deps.metrics.timing('EndToEndLatencyMs', now.getTime() - Date.parse(p.work.item.receivedAt));
      states.set(claimKey(p), confirmed === 'confirmed' ? { to, status: 'delivered' } : takenOver(to, now));
      return;
    }
    const error = `${outcome.errorCode}: ${outcome.errorMessage}`;
    if (outcome.outcome === 'park') {
      const parked = await deps.ledger.deliveries.park({
        ...key,
        error,
        now: now.toISOString(),
        tenant: p.work.item.tenant,
      });
      deps.metrics.count(parked === 'parked' ? 'Parked' : 'ClaimLost');
      states.set(claimKey(p), parked === 'parked' ? { to, status: 'parked', reason: error } : takenOver(to, now));
      return;
    }
    const due = new Date(
      now.getTime() +
        deps.settings.waitBackoff.baseMs +
        backoffDelay(p.attempt, deps.settings.waitBackoff, deps.random),
    );
    // A placed copy waits for its region's breaker; a local delivery fails over at its next try instead.
    const breakerAt =
      p.delivery.placement === 'local' ? 0 : (deps.breakers.retryAt(p.delivery.target, p.delivery.region) ?? 0);
    const dueAt = new Date(Math.max(due.getTime(), breakerAt)).toISOString();
    // Not sent for sure only if no earlier round of this claim may have reached the bus either.
    await deps.ledger.deliveries.wait({
      ...key,
      due: dueAt,
      error,
      attempt: p.attempt,
      knownNotSent: !outcome.mayHaveArrived && !p.suspected,
    });
    deps.metrics.count('Waiting');
    states.set(claimKey(p), { to, status: 'waiting', due: dueAt, reason: error });
  } catch (error) {
    if (!(error instanceof StoreUnavailableError || error instanceof StoreRejectedError)) throw error;
    // The claim stays; it expires and the sweeper takes it over.
    states.set(claimKey(p), {
      to,
      status: 'held',
      due: new Date(now.getTime() + deps.settings.claimTtlMs).toISOString(),
      reason: error.message,
    });
  }
};

/**
 * A claim that a later attempt took over while this one sent (it outlived its claim time): the
 * delivery is that attempt's to settle, and the event stays open until it has. Settling the event
 * here would leave the delivery claimed for good if that attempt stops before it confirms. The
 * sweeper looks at once: it finds that attempt's claim and waits until it ends.
 */
const takenOver = (to: string, now: Date): DeliveryState => ({
  to,
  status: 'held',
  due: now.toISOString(),
  reason: 'claim taken over by a later attempt',
});
