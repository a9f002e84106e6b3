import type { DeliveryRow } from '../delivery/ledger-entry';
import type { PlannedDelivery } from '../routing/plan-deliveries';
import type { ReplayMode, Selection } from './job-model';
import { deliveryMatches, sameIncarnation, statusMatches, statusOf, type DeliveryStatus } from './selection';

/** Why a chosen delivery is not sent by this pass. */
export type SkipReason =
  /** Force: this job already delivered it (under any owner). */
  | 'already-replayed'
  /** The plan puts it outside the event's residency zone: it can never be sent. */
  | 'residency-blocked'
  /** No region of the target inside the zone takes deliveries now; the sweeper keeps it waiting. */
  | 'region-unavailable'
  /** Another claim on it is live (a route, a sweep, or this job before a crash); looked at again later. */
  | 'in-flight';

/** What a replay does with one chosen delivery. */
export type ReplayStep =
  | {
      action: 'send';
      delivery: PlannedDelivery;
      status: DeliveryStatus;
      /** `force` sends on the job's own row; `missing` on the owner's ordinary row. */
      row: 'replay' | 'ordinary';
      /** The row it claims is parked, or waits with a due time in the future: reopen it first. */
      reopen: boolean;
    }
  | { action: 'skip'; delivery: PlannedDelivery; status: DeliveryStatus; reason: SkipReason };

export interface ReplayStepsInput {
  planned: readonly PlannedDelivery[];
  rows: readonly DeliveryRow[];
  selection: Selection;
  mode: ReplayMode;
  jobId: string;
  /** The owner replaying: its rows are the ones claimed. */
  me: string;
  receivedAt: string;
  now: Date;
}

const reopenable = (row: DeliveryRow | undefined, now: Date): boolean =>
  row !== undefined && (row.status === 'parked' || (row.status === 'waiting' && (row.due ?? '') > now.toISOString()));

/**
 * Decides, for one event, which planned deliveries a replay chooses and what it does with each.
 * `missing` chooses what no owner delivered (a consumer never got it); `force` chooses everything
 * the selection names and sends it again on the job's own rows, once per job whatever crashes.
 * The status filter reads every owner's ordinary rows, so a dry run and the real run agree.
 */
export const replaySteps = (input: ReplayStepsInput): ReplayStep[] => {
  const { now, mode } = input;
  const rows = input.rows.filter((r) => sameIncarnation(r, input.receivedAt));
  const steps: ReplayStep[] = [];
  for (const delivery of input.planned) {
    if (!deliveryMatches(input.selection, delivery)) continue;
    const ordinary = rows.filter((r) => r.to === delivery.to && r.replayJob === undefined);
    const status = statusOf(ordinary, now);
    if (!statusMatches(input.selection.status, status)) continue;
    if (mode === 'missing' && status === 'delivered') continue;
    if (delivery.blocked) {
      steps.push({ action: 'skip', delivery, status, reason: 'residency-blocked' });
      continue;
    }
    if (delivery.waiting) {
      steps.push({ action: 'skip', delivery, status, reason: 'region-unavailable' });
      continue;
    }
    const own = mode === 'force' ? rows.filter((r) => r.to === delivery.to && r.replayJob === input.jobId) : ordinary;
    if (mode === 'force' && own.some((r) => r.status === 'delivered')) {
      steps.push({ action: 'skip', delivery, status, reason: 'already-replayed' });
      continue;
    }
    if (statusOf(own, now) === 'in-flight') {
      steps.push({ action: 'skip', delivery, status, reason: 'in-flight' });
      continue;
    }
    const mine = own.find((r) => r.owner === input.me);
    steps.push({
      action: 'send',
      delivery,
      status,
      row: mode === 'force' ? 'replay' : 'ordinary',
      reopen: reopenable(mine, now),
    });
  }
  return steps;
};
