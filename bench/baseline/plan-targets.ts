import type { EventBridgeEvent } from 'aws-lambda';
import type { Catalog } from '../../shared/domain/catalog';
import { decideIngest } from '../../shared/domain/ingest/decide-ingest';
import { planDeliveries, type PlannedDelivery } from '../../shared/domain/routing/plan-deliveries';

export type OrderEvent = EventBridgeEvent<string, Record<string, unknown>>;

/**
 * The deliveries the sample catalog asks for, from the router's own pure core (the ingest
 * decision, then the planner): the baseline must send exactly what Switchyard sends, so the
 * comparison is about how it is sent, not where. No region is down in the bench, so every catalog
 * region counts as available. An event ingest would quarantine has no deliveries.
 */
export const planTargets = (event: OrderEvent, catalog: Catalog): PlannedDelivery[] => {
  const decision = decideIngest(event, {
    catalog,
    region: event.region,
    now: new Date(event.time),
    quarantineId: 'bench',
    maxEventBytes: 262_144,
    retention: { defaultDays: 1, zoneDays: {} },
    bindings: new Map(),
    hopLimit: 3,
  });
  if (decision.kind !== 'store') return [];
  return planDeliveries({ item: decision.item, catalog, usable: () => true }).filter((d) => !d.blocked);
};
