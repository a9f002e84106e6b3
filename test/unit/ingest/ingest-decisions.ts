import type { IngestDecision } from '../../../shared/domain/ingest/decide-ingest';
import type { InboxItem, QuarantineItem } from '../../../shared/domain/ingest/ingress-event';

/** The quarantine item of a decision, or a failure naming what was decided instead. */
export const quarantined = (decision: IngestDecision): QuarantineItem => {
  if (decision.kind !== 'quarantine') throw new Error(`expected a quarantine, got a store of ${decision.item.id}`);
  return decision.item;
};

/** The inbox item of a decision, or a failure naming the quarantine reason. */
export const stored = (decision: IngestDecision): InboxItem => {
  if (decision.kind !== 'store')
    throw new Error(`expected a store, got ${decision.item.reason}: ${decision.item.message}`);
  return decision.item;
};

/** `levels` objects nested in one another (`{ a: { a: … } }`), built without recursion. */
export const nestedDetail = (levels: number): Record<string, unknown> => {
  let detail: Record<string, unknown> = { orderId: 'o-1' };
  for (let level = 1; level < levels; level += 1) detail = { orderId: 'o-1', a: detail };
  return detail;
};
