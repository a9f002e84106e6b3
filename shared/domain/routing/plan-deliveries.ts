import { projectionOf, type Catalog, type Projection, type Route, type Target } from '../catalog';
import type { InboxItem } from '../ingest/ingress-event';
import { envelopeOf } from './event-envelope';

/** A delivery that can never be sent (parked with the reason). */
export type BlockReason = 'residency-blocked';
/** A delivery that cannot be sent now (it waits, with a due time, and is parked only past the waiting horizon). */
export type WaitReason = 'region-unavailable';

/** One planned delivery: an event to one target, in one region (`fanout`, `pinned`) or wherever it can go (`local`). */
export interface PlannedDelivery {
  /** Ledger identity: `<target>#<placement>`. */
  to: string;
  target: string;
  /** `local` (one logical delivery that may move along the failover order) or the region it is pinned to. */
  placement: string;
  /** The region it goes to now. */
  region: string;
  bus: string;
  routes: string[];
  projection?: Projection;
  blocked?: { reason: BlockReason; message: string };
  waiting?: { reason: WaitReason; message: string };
}

export interface PlanInput {
  item: InboxItem;
  catalog: Catalog;
  /** Whether a target's bus in a region can take deliveries now (region healthy, breaker not open). */
  usable: (target: string, region: string) => boolean;
}

/**
 * Computes the deliveries an event needs: a pure function of the event, its pinned catalog
 * version and what is usable now. Residency always wins: nothing is planned outside the event's
 * zone. A `local` delivery is dropped when another route already delivers its target to the home
 * region, so a consumer there does not receive it twice.
 */
export const planDeliveries = ({ item, catalog, usable }: PlanInput): PlannedDelivery[] => {
  const envelope = envelopeOf(item);
  const zone = new Set(catalog.zones.get(item.zone) ?? []);
  const byTo = new Map<string, PlannedDelivery>();
  for (const route of catalog.routes) {
    if (!route.pattern.matches(envelope)) continue;
    for (const targetName of route.targets) {
      const target = catalog.targets.get(targetName);
      if (!target) continue;
      const projection = projectionOf(catalog, targetName);
      for (const delivery of deliveriesFor(route, target, item.home, zone, usable)) {
        merge(byTo, { ...delivery, ...(projection ? { projection } : {}) }, route.name);
      }
    }
  }
  for (const [to, delivery] of byTo) {
    const home = byTo.get(`${delivery.target}#${item.home}`);
    if (delivery.placement === 'local' && home && !home.blocked) byTo.delete(to);
  }
  return [...byTo.values()].sort((a, b) => a.to.localeCompare(b.to));
};

type Draft = Omit<PlannedDelivery, 'routes'>;

const deliveriesFor = (
  route: Route,
  target: Target,
  home: string,
  zone: Set<string>,
  usable: PlanInput['usable'],
): Draft[] => {
  if (route.mode === 'local') return [localDelivery(target, home, zone, usable)];
  const regions = route.mode === 'fanout' ? [...target.buses.keys()].filter((r) => zone.has(r)) : (route.regions ?? []);
  return regions.map((region) => {
    const draft = pinnedTo(target, region);
    if (!zone.has(region))
      return {
        ...draft,
        blocked: { reason: 'residency-blocked', message: `${region} is outside the event's residency zone` },
      };
    if (!usable(target.name, region))
      return {
        ...draft,
        waiting: { reason: 'region-unavailable', message: `${target.name} in ${region} is unavailable` },
      };
    return draft;
  });
};

/** `local`: the home region's bus, else the first usable region in the target's failover order, inside the zone. */
const localDelivery = (target: Target, home: string, zone: Set<string>, usable: PlanInput['usable']): Draft => {
  const candidates = [home, ...target.failover.filter((r) => r !== home)].filter(
    (r) => target.buses.has(r) && zone.has(r),
  );
  const chosen = candidates.find((r) => usable(target.name, r));
  const base = { to: `${target.name}#local`, target: target.name, placement: 'local' };
  if (chosen) return { ...base, region: chosen, bus: target.buses.get(chosen) ?? '' };
  const first = candidates[0];
  if (!first) {
    const message = `target ${target.name} has no bus inside the event's residency zone`;
    return { ...base, region: home, bus: '', blocked: { reason: 'residency-blocked', message } };
  }
  const message = `no region of target ${target.name} inside the residency zone is available (${candidates.join(', ')})`;
  return {
    ...base,
    region: first,
    bus: target.buses.get(first) ?? '',
    waiting: { reason: 'region-unavailable', message },
  };
};

const pinnedTo = (target: Target, region: string): Draft => ({
  to: `${target.name}#${region}`,
  target: target.name,
  placement: region,
  region,
  bus: target.buses.get(region) ?? '',
});

/** Two routes naming the same delivery share it; it is sendable if either route can send it. */
const merge = (byTo: Map<string, PlannedDelivery>, next: Draft, route: string): void => {
  const existing = byTo.get(next.to);
  if (!existing) {
    byTo.set(next.to, { ...next, routes: [route] });
    return;
  }
  existing.routes.push(route);
  if (existing.blocked && !next.blocked) {
    delete existing.blocked;
    if (next.waiting) existing.waiting = next.waiting;
  }
  if (existing.waiting && !next.waiting && !next.blocked) delete existing.waiting;
};
