import type { LedgerTable } from '../adapters/ledger-table';
import type { InboxItem } from '../domain/ingest/ingress-event';
import type { PlannedDelivery } from '../domain/routing/plan-deliveries';
import type { MetricSink } from './delivery-metrics';

/** A delivery this router now holds the claim for, ready to send. */
export interface ClaimedDelivery {
  item: InboxItem;
  delivery: PlannedDelivery;
  token: string;
  attempt: number;
  suspectedRedelivery: boolean;
}

export interface ClaimDeps {
  ledger: LedgerTable;
  owner: string;
  epoch: number;
  now: Date;
  newToken: () => string;
  retentionDays: number;
  metrics: MetricSink;
}

/**
 * Claims every planned delivery of one event in the ledger. Blocked deliveries are parked with their
 * reason; deliveries already delivered or parked (a redelivered stream record) are skipped.
 */
export const claimDeliveries = async (
  item: InboxItem,
  planned: readonly PlannedDelivery[],
  deps: ClaimDeps,
): Promise<ClaimedDelivery[]> => {
  const results = await Promise.allSettled(planned.map((delivery) => claimOne(item, delivery, deps)));
  const claimed = results.flatMap((r) => (r.status === 'fulfilled' && r.value ? [r.value] : []));
  const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (!refused) return claimed;
  await Promise.all(claimed.map((c) => releaseUnsent(c, deps)));
  throw refused.reason;
};

/**
 * The event's record will be retried, so a sibling claim made now is never sent. Marking its token
 * failed keeps the next claim from counting a redelivery that never happened (best effort).
 */
const releaseUnsent = async (c: ClaimedDelivery, deps: ClaimDeps): Promise<void> => {
  const error = 'ClaimAborted: another delivery of this event could not be claimed; not sent';
  await deps.ledger
    .recordFailure({ id: c.item.id, to: c.delivery.to, token: c.token, error, due: deps.now.toISOString() })
    .catch(() => undefined);
};

const claimOne = async (
  item: InboxItem,
  delivery: PlannedDelivery,
  deps: ClaimDeps,
): Promise<ClaimedDelivery | undefined> => {
  const token = deps.newToken();
  const request = {
    id: item.id,
    to: delivery.to,
    target: delivery.target,
    region: delivery.region,
    bus: delivery.bus,
    owner: deps.owner,
    epoch: deps.epoch,
    token,
    routesVersion: item.routesVersion,
    now: deps.now.toISOString(),
    expiresAt: Math.floor(deps.now.getTime() / 1000) + deps.retentionDays * 86_400,
  };
  if (delivery.blocked) {
    const parked = await deps.ledger.parkUnclaimed({
      ...request,
      error: `${delivery.blocked.reason}: ${delivery.blocked.message}`,
    });
    if (parked === 'parked') deps.metrics.add('Parked', 1);
    return undefined;
  }
  const claim = await deps.ledger.claim(request);
  if (claim.kind === 'settled') {
    deps.metrics.add('AlreadySettled', 1);
    return undefined;
  }
  if (claim.kind === 'held') {
    deps.metrics.add('HeldByOtherOwner', 1);
    return undefined;
  }
  return { item, delivery, token, attempt: claim.attempt, suspectedRedelivery: claim.suspectedRedelivery };
};
