import type { EventBusPublisher } from '../adapters/event-bus';
import type { LedgerTable } from '../adapters/ledger-table';
import { backoffDelay, type BackoffPolicy } from '../domain/delivery/backoff';
import { classifyEntryResult, type EntryOutcome } from '../domain/delivery/classify-result';
import { buildOutboundEntry, type OutboundEntry } from '../domain/delivery/outbound-entry';
import { planBatches } from '../domain/delivery/plan-batches';
import { groupBy } from '../domain/group-by';
import { DELIVERY_CONCURRENCY, mapWithConcurrency } from '../domain/map-with-concurrency';
import { BusCallFailedError, StoreUnavailableError } from '../domain/infrastructure-errors';
import type { ClaimedDelivery } from './claim-deliveries';
import type { MetricSink } from './delivery-metrics';

export interface SendDeps {
  bus: EventBusPublisher;
  ledger: LedgerTable;
  now: () => Date;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  metrics: MetricSink;
  maxBatchBytes: number;
  /** PutEvents rounds within one invocation before a retryable failure is handed back to the stream. */
  maxRounds: number;
  backoff: BackoffPolicy;
}

const BATCHES_IN_FLIGHT_PER_REGION = Math.max(1, Math.floor(DELIVERY_CONCURRENCY / 10));

type Pending = ClaimedDelivery & { entry: OutboundEntry };
type RoundResult = { retry: Pending[]; failed: Pending[] };

/**
 * Sends claimed deliveries in PutEvents batches per region (≤ 10 entries, under the size limit),
 * confirms each success on its claim token, retries retryable failures with jittered backoff,
 * and parks the rest. Returns the deliveries left unsettled: still failing after the last round, or
 * whose ledger write failed (their records are retried by the stream, which re-claims them).
 */
export const sendDeliveries = async (
  claimed: readonly ClaimedDelivery[],
  deps: SendDeps,
): Promise<ClaimedDelivery[]> => {
  let pending: Pending[] = claimed.map((c) => ({ ...c, entry: buildOutboundEntry(c.item, c.delivery.bus, c.attempt) }));
  const failed: Pending[] = [];
  for (let round = 0; round < deps.maxRounds && pending.length > 0; round += 1) {
    if (round > 0) {
      deps.metrics.add('DeliveryRetried', pending.length);
      await deps.sleep(backoffDelay(round, deps.backoff, deps.random));
    }
    const result = await sendRound(pending, deps, round === deps.maxRounds - 1);
    failed.push(...result.failed);
    pending = result.retry;
  }
  return [...failed, ...pending];
};

const sendRound = async (pending: Pending[], deps: SendDeps, lastRound: boolean): Promise<RoundResult> => {
  const results = await Promise.all(
    [...groupBy(pending, (p) => p.delivery.region).values()].map(async (regional) => {
      const { batches, oversized } = planBatches(
        regional.map((p) => ({ ...p, size: p.entry.size })),
        10,
        deps.maxBatchBytes,
      );
      const tooLarge = (p: Pending): EntryOutcome => ({
        outcome: 'park',
        errorCode: 'EntryTooLarge',
        errorMessage: `entry is ${p.entry.size} bytes, over the ${deps.maxBatchBytes}-byte PutEvents limit`,
      });
      const parked = await settleAll(
        oversized.map((p) => [p, tooLarge(p)]),
        deps,
        lastRound,
      );
      // A few PutEvents calls per region at a time: each settles up to 10 ledger entries.
      const sent = await mapWithConcurrency(batches, BATCHES_IN_FLIGHT_PER_REGION, (batch) =>
        sendBatch(batch, deps, lastRound),
      );
      return [parked, ...sent];
    }),
  );
  const flat = results.flat();
  return { retry: flat.flatMap((r) => r.retry), failed: flat.flatMap((r) => r.failed) };
};

const sendBatch = async (batch: Pending[], deps: SendDeps, lastRound: boolean): Promise<RoundResult> => {
  const region = batch[0]?.delivery.region ?? '';
  let outcomes: EntryOutcome[];
  try {
    deps.metrics.add('PutEventsCalls', 1);
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
  return settleAll(
    batch.map((p, i) => [
      p,
      outcomes[i] ?? { outcome: 'retry', errorCode: 'MissingResult', errorMessage: 'no result' },
    ]),
    deps,
    lastRound,
  );
};

/** Applies each outcome to the ledger; a ledger write that fails leaves its delivery unsettled for the stream to retry. */
const settleAll = async (
  pairs: Array<[Pending, EntryOutcome]>,
  deps: SendDeps,
  lastRound: boolean,
): Promise<RoundResult> => {
  const result: RoundResult = { retry: [], failed: [] };
  await Promise.all(
    pairs.map(async ([p, outcome]) => {
      try {
        if (outcome.outcome !== 'retry') return await settle(p, outcome, deps);
        result.retry.push(outcome.mayHaveArrived ? asPossibleRepeat(p) : p);
        // Only a send known not to have arrived is marked failed; otherwise the next claim counts the repeat.
        if (lastRound && !outcome.mayHaveArrived) {
          await deps.ledger.recordFailure({
            id: p.item.id,
            to: p.delivery.to,
            token: p.token,
            error: `${outcome.errorCode}: ${outcome.errorMessage}`,
            due: deps.now().toISOString(),
          });
        }
      } catch (error) {
        if (!(error instanceof StoreUnavailableError)) throw error;
        if (outcome.outcome !== 'retry') result.failed.push(p);
      }
    }),
  );
  return result;
};

/** The next send after a call whose outcome is unknown may repeat it: a new attempt number, counted as a redelivery. */
const asPossibleRepeat = (p: Pending): Pending => ({
  ...p,
  attempt: p.attempt + 1,
  suspectedRedelivery: true,
  entry: buildOutboundEntry(p.item, p.delivery.bus, p.attempt + 1),
});

const settle = async (
  p: Pending,
  outcome: Exclude<EntryOutcome, { outcome: 'retry' }>,
  deps: SendDeps,
): Promise<void> => {
  const base = { id: p.item.id, to: p.delivery.to, token: p.token, now: deps.now().toISOString() };
  if (outcome.outcome === 'delivered') {
    const confirmed = await deps.ledger.confirm({
      ...base,
      busEventId: outcome.busEventId,
      redelivered: p.suspectedRedelivery,
    });
    deps.metrics.add(confirmed === 'confirmed' ? 'Delivered' : 'ClaimLost', 1);
    if (p.suspectedRedelivery) deps.metrics.add('Redelivered', 1);
    return;
  }
  const parked = await deps.ledger.park({ ...base, error: `${outcome.errorCode}: ${outcome.errorMessage}` });
  deps.metrics.add(parked === 'parked' ? 'Parked' : 'ClaimLost', 1);
};
