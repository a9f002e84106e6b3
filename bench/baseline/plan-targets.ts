import type { EventBridgeEvent } from 'aws-lambda';
import type { Catalog } from '../../shared/domain/catalog';
import type { InboxItem } from '../../shared/domain/ingest/ingress-event';
import { planDeliveries, type PlannedDelivery } from '../../shared/domain/routing/plan-deliveries';

export type OrderEvent = EventBridgeEvent<string, Record<string, unknown>>;

/**
 * The deliveries the sample catalog asks for, from the router's own pure planner: the baseline
 * must send exactly what Switchyard sends, so the comparison is about how it is sent, not where.
 * No region is down in the bench, so every catalog region counts as available.
 */
export const planTargets = (event: OrderEvent, catalog: Catalog, key: string): PlannedDelivery[] => {
  const policy = catalog.sources.get(event.source);
  const item: InboxItem = {
    id: `${event.source}#${key}`,
    eventId: event.id,
    source: event.source,
    detailType: event['detail-type'],
    detail: JSON.stringify(event.detail),
    resources: event.resources,
    time: event.time,
    account: event.account,
    home: event.region,
    owner: event.region,
    receivedAt: event.time,
    tenant: policy?.tenant ?? '',
    residency: policy?.residency ?? '',
    routesVersion: catalog.version,
    expiresAt: 0,
  };
  const regions = new Set([...catalog.zones.values()].flat());
  return planDeliveries({ item, catalog, availableRegions: regions }).filter((d) => !d.blocked);
};
