import type { Catalog, Route, Target } from '../catalog';
import type { InboxItem } from '../ingest/ingress-event';
import { envelopeOf } from './event-envelope';

/** Why a planned delivery cannot be sent now; it is parked with this reason. */
export type BlockReason = 'residency-blocked' | 'region-unavailable';

/** One planned delivery: an event to one target bus in one region. */
export interface PlannedDelivery {
  /** Ledger sort key: `<target>#<region>`. */
  to: string;
  target: string;
  region: string;
  bus: string;
  routes: string[];
  blocked?: { reason: BlockReason; message: string };
}

export interface PlanInput {
  item: InboxItem;
  catalog: Catalog;
  /** Regions currently able to receive; a region missing here is treated as down. */
  availableRegions: ReadonlySet<string>;
}

/**
 * Computes the deliveries an event needs: a pure function of the event, the pinned catalog
 * version and region availability. Residency always wins: a delivery is never planned outside
 * the event's zone; when no allowed region can take it, it is planned as blocked (parked).
 */
export const planDeliveries = ({ item, catalog, availableRegions }: PlanInput): PlannedDelivery[] => {
  const envelope = envelopeOf(item);
  const zone = new Set(catalog.zones.get(item.residency) ?? []);
  const byTo = new Map<string, PlannedDelivery>();
  for (const route of catalog.routes) {
    if (!route.pattern.matches(envelope)) continue;
    for (const targetName of route.targets) {
      const target = catalog.targets.get(targetName);
      if (!target) continue;
      for (const delivery of deliveriesFor(route, target, item.home, zone, availableRegions))
        merge(byTo, delivery, route.name);
    }
  }
  return [...byTo.values()].sort((a, b) => a.to.localeCompare(b.to));
};

const deliveriesFor = (
  route: Route,
  target: Target,
  home: string,
  zone: Set<string>,
  available: ReadonlySet<string>,
): Omit<PlannedDelivery, 'routes'>[] => {
  if (route.mode === 'local') return [localDelivery(target, home, zone, available)];
  const regions = route.mode === 'fanout' ? [...target.buses.keys()].filter((r) => zone.has(r)) : (route.regions ?? []);
  return regions.map((region) => {
    if (!zone.has(region))
      return blocked(target, region, 'residency-blocked', `${region} is outside the event's residency zone`);
    if (!available.has(region)) return blocked(target, region, 'region-unavailable', `${region} is unavailable`);
    return delivery(target, region);
  });
};

/** `local`: the home region's bus, else the first available region in the target's failover order, inside the zone. */
const localDelivery = (
  target: Target,
  home: string,
  zone: Set<string>,
  available: ReadonlySet<string>,
): Omit<PlannedDelivery, 'routes'> => {
  const candidates = [home, ...target.failover.filter((r) => r !== home)].filter(
    (r) => target.buses.has(r) && zone.has(r),
  );
  const chosen = candidates.find((r) => available.has(r));
  if (chosen) return delivery(target, chosen);
  const first = candidates[0];
  if (!first)
    return blocked(
      target,
      home,
      'residency-blocked',
      `target ${target.name} has no bus inside the event's residency zone`,
    );
  return blocked(
    target,
    first,
    'region-unavailable',
    `no region of target ${target.name} inside the residency zone is available`,
  );
};

const delivery = (target: Target, region: string): Omit<PlannedDelivery, 'routes'> => ({
  to: `${target.name}#${region}`,
  target: target.name,
  region,
  bus: target.buses.get(region) ?? '',
});

const blocked = (
  target: Target,
  region: string,
  reason: BlockReason,
  message: string,
): Omit<PlannedDelivery, 'routes'> => ({
  ...delivery(target, region),
  blocked: { reason, message },
});

/** Two routes naming the same target and region share one delivery; it is sent if either route can send it. */
const merge = (byTo: Map<string, PlannedDelivery>, next: Omit<PlannedDelivery, 'routes'>, route: string): void => {
  const existing = byTo.get(next.to);
  if (!existing) {
    byTo.set(next.to, { ...next, routes: [route] });
    return;
  }
  existing.routes.push(route);
  if (existing.blocked && !next.blocked) delete existing.blocked;
};
