import type { EventAudit } from './delivery-audit';
import { elapsed } from './drill-figures';
import type { OutageObservations } from './ownership-watch';
import type { ReplicaAtOutage } from './region-outage';

/** What the region-failure drill measured. */
export interface OutageFigures {
  detectionMs: number | null;
  takeoverMs: number | null;
  firstSuccessorDeliveryMs: number | null;
  /** Outage start → every delivery planned (outside the dead region) for events accepted and replicated before it. */
  rtoMs: number | null;
  /** Deliveries of those events still to make when the region died: what the RTO covers. */
  pendingAtOutage: number;
  /** Recovery start → every planned delivery of every accepted event made (dead-region copies and RPO events included). */
  fullRecoveryMs: number | null;
  handbackMs: number | null;
}

export interface OutageInput {
  dead: string;
  successor: string;
  outageAt: number;
  recoveredAt: number;
  handbackAt: number;
  seen: OutageObservations;
  audits: readonly EventAudit[];
  /** Events the dead region had accepted and not replicated when it died. */
  rpo: ReadonlySet<string>;
}

/** Planned deliveries that can only be made in the dead region (fanout or pinned there); `local` ones fail over. */
const inDeadRegion = (planned: string, dead: string): boolean =>
  planned.endsWith(`#${dead}`) && !planned.startsWith('fulfilment#');

/** Detection, takeover, first successor delivery, RTO and full recovery from one drill's observations. */
export const outageFigures = (input: OutageInput): OutageFigures => {
  const { dead, successor, outageAt, audits } = input;
  const takeovers = [...input.seen.takeovers.values()].map((t) => t.at);
  const successorCopies = audits
    .filter((a) => a.event.region === dead)
    .flatMap((a) => a.copies)
    .filter((c) => c.epoch.startsWith(`${successor}:`) && c.at >= outageAt)
    .map((c) => c.at);
  const backlog = audits
    .filter((a) => a.publishedAt < outageAt && !input.rpo.has(a.id))
    .flatMap((a) => a.firsts.filter((f) => !inDeadRegion(f.planned, dead)))
    .filter((f) => f.at >= outageAt);
  return {
    detectionMs: elapsed(outageAt, input.seen.verdictFailedAt),
    takeoverMs: takeovers.length > 0 ? elapsed(outageAt, Math.max(...takeovers)) : null,
    firstSuccessorDeliveryMs: successorCopies.length > 0 ? elapsed(outageAt, Math.min(...successorCopies)) : null,
    rtoMs: elapsed(outageAt, Math.max(outageAt, ...backlog.map((f) => f.at))),
    pendingAtOutage: backlog.length,
    fullRecoveryMs: elapsed(input.recoveredAt, Math.max(0, ...audits.map((a) => a.completedAt ?? Infinity))),
    handbackMs: elapsed(input.recoveredAt, input.handbackAt),
  };
};

/**
 * The RPO: the events stuck unreplicated in the dead region (what did not reach the successor),
 * and how they were delivered in the end (copies by owner and epoch); plus the events that had
 * replicated and were still open, with how far ahead the dead owner had scheduled them.
 */
export const rpoFigures = (audits: readonly EventAudit[], replica: ReplicaAtOutage, outageAt: number) => {
  const stuck = audits.filter((a) => replica.unreplicated.has(a.id));
  const copiesByOwnerEpoch: Record<string, number> = {};
  for (const copy of stuck.flatMap((a) => a.copies))
    copiesByOwnerEpoch[copy.epoch] = (copiesByOwnerEpoch[copy.epoch] ?? 0) + 1;
  const missing: Record<string, number> = {};
  for (const what of replica.unreplicated.values()) missing[what] = (missing[what] ?? 0) + 1;
  return {
    count: replica.unreplicated.size,
    missing,
    deliveredBeforeOutage: stuck.filter((a) => a.completedAt !== undefined && a.completedAt < outageAt).length,
    copiesByOwnerEpoch,
    openAtOutage: { count: replica.openDueInMs.length, maxDueInMs: Math.max(0, ...replica.openDueInMs) },
  };
};
