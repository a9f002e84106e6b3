import type { DeliveryRow } from '../../domain/delivery/ledger-entry';
import { backoffDelay } from '../../domain/delivery/backoff';
import type { PlannedDelivery } from '../../domain/routing/plan-deliveries';
import type { DeliveryDeps, DeliveryState, EventWork } from './delivery-deps';

/** What the router does next with one planned delivery. */
export type Step =
  /** `priorAttempts`: the most attempts another owner made that may have reached the bus (0: none). */
  | { kind: 'claim'; delivery: PlannedDelivery; possibleRepeat: boolean; priorAttempts: number }
  | { kind: 'hold'; delivery: PlannedDelivery; status: 'waiting' | 'parked'; error: string; due: string }
  | { kind: 'done'; state: DeliveryState; elsewhere: boolean };

/** A row whose last claim may have reached the bus: claimed and unconfirmed, or waiting after a send of unknown outcome (not a hold). */
const maySent = (row: DeliveryRow): boolean =>
  row.status === 'claimed' || (row.status === 'waiting' && row.failedToken !== row.token);

/** A row of the same incarnation of the key as this event (not one an earlier incarnation left behind). */
const sameIncarnation = (row: DeliveryRow, work: EventWork): boolean =>
  row.windowEnd > Date.parse(work.item.receivedAt);

/**
 * Decides, per planned delivery, whether to claim and send it, hold it (waiting or parked without a
 * send), or leave it: delivered or parked already, by this owner or another (when the rows are known).
 * A delivery another owner claimed but never confirmed may have reached the bus: this send is a
 * possible repeat, counted as one, and goes out as a later attempt than that owner's.
 */
export const planSteps = (work: EventWork, planned: readonly PlannedDelivery[], deps: DeliveryDeps): Step[] => {
  const now = deps.now();
  const rows = (work.rows?.deliveries ?? []).filter((r) => sameIncarnation(r, work));
  return planned.map((delivery): Step => {
    const forTo = rows.filter((r) => r.to === delivery.to && !r.replayJob);
    const settled = forTo.find((r) => r.status === 'delivered') ?? forTo.find((r) => r.status === 'parked');
    if (settled && !work.force) {
      return {
        kind: 'done',
        state: {
          to: delivery.to,
          status: settled.status as 'delivered' | 'parked',
          ...(settled.lastError ? { reason: settled.lastError } : {}),
        },
        elsewhere: settled.owner !== deps.region,
      };
    }
    if (delivery.blocked) {
      const error = `${delivery.blocked.reason}: ${delivery.blocked.message}`;
      return { kind: 'hold', delivery, status: 'parked', error, due: now.toISOString() };
    }
    if (delivery.waiting) {
      const mine = forTo.find((r) => r.owner === deps.region);
      const firstAttempt = Date.parse(mine?.firstClaimedAt ?? work.item.receivedAt);
      const error = `${delivery.waiting.reason}: ${delivery.waiting.message}`;
      if (now.getTime() - firstAttempt > deps.settings.waitingHorizonMs) {
        const hours = Math.round(deps.settings.waitingHorizonMs / 360_000) / 10;
        return {
          kind: 'hold',
          delivery,
          status: 'parked',
          error: `waited past the ${hours} h horizon: ${error}`,
          due: now.toISOString(),
        };
      }
      const retryAt = deps.breakers.retryAt(delivery.target, delivery.region) ?? 0;
      const backoff = backoffDelay(mine?.attempts ?? 1, deps.settings.waitBackoff, deps.random);
      const due = new Date(Math.max(retryAt, now.getTime() + deps.settings.waitBackoff.baseMs + backoff)).toISOString();
      return { kind: 'hold', delivery, status: 'waiting', error, due };
    }
    const others = forTo.filter((r) => r.owner !== deps.region && maySent(r));
    const priorAttempts = Math.max(0, ...others.map((r) => r.attempts ?? 0));
    return { kind: 'claim', delivery, possibleRepeat: others.length > 0, priorAttempts };
  });
};
