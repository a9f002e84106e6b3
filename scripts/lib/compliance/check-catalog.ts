/**
 * Residency of delivery, from the routes catalog: it must compile under the stage's ceiling, and
 * for every source zone, every route (as if its pattern matched every event), every home region
 * of the zone and every combination of usable regions that matters (all, none, each one alone),
 * planDeliveries (the code route and sweeper run) may only plan deliveries inside the zone.
 */
import { compileCatalog, CatalogValidationError, type Catalog, type Route } from '../../../shared/domain/catalog';
import type { InboxItem } from '../../../shared/domain/ingest/ingress-event';
import { planDeliveries } from '../../../shared/domain/routing/plan-deliveries';
import type { StageConfig } from '../../../stages/lib/stage-file';
import type { Violation } from './check-tables';

/** A delivery the catalog can plan for an event of a zone. */
export interface ReachableDelivery {
  route: string;
  home: string;
  region: string;
  bus: string;
}

export interface ZoneDeliveries {
  sources: string[];
  deliveries: ReachableDelivery[];
  /** Deliveries planned but blocked for residency (never sent). */
  blocked: number;
}

export interface CatalogProof {
  version?: number;
  zones: Map<string, ZoneDeliveries>;
  violations: Violation[];
  warnings: string[];
}

/** The stage as a catalog ceiling: its zones, retention and publisher bindings. */
export const stageCeiling = (stage: string, config: StageConfig) => ({
  stage: {
    name: stage,
    zones: config.residencyZones,
    retention: {
      defaultDays: config.retentionDays,
      ...(config.zoneRetentionDays ? { zoneDays: config.zoneRetentionDays } : {}),
    },
    bindings: Object.fromEntries(Object.entries(config.publishers).map(([tenant, b]) => [tenant, b.sources])),
  },
});

const MATCH_EVERYTHING = { matches: () => true };

const syntheticEvent = (source: string, tenant: string, zone: string, home: string, version: number): InboxItem => ({
  id: `compliance#${source}#${home}`,
  eventId: 'compliance',
  source,
  detailType: 'compliance',
  detail: '{}',
  resources: [],
  time: '2026-01-01T00:00:00Z',
  account: '123456789012',
  home,
  receivedAt: '2026-01-01T00:00:00.000Z',
  windowEnd: 0,
  tenant,
  zone,
  routesVersion: version,
  hops: 0,
  expiresAt: 0,
});

/** Every delivery one route can plan for one event, over the usable-region combinations. */
const plansOf = (catalog: Catalog, route: Route, item: InboxItem, regions: readonly string[]) => {
  const alone: Catalog = { ...catalog, routes: [{ ...route, pattern: MATCH_EVERYTHING }] };
  const usables = [() => true, () => false, ...regions.map((only) => (_t: string, r: string) => r === only)];
  return usables.flatMap((usable) => planDeliveries({ item, catalog: alone, usable }));
};

const zoneDeliveries = (catalog: Catalog, config: StageConfig, zone: string): ZoneDeliveries => {
  const sources = [...catalog.sources.values()].filter((s) => s.residency === zone);
  const homes = config.residencyZones[zone] ?? [];
  const found = new Map<string, ReachableDelivery>();
  let blocked = 0;
  for (const source of sources)
    for (const home of homes)
      for (const route of catalog.routes)
        for (const d of plansOf(
          catalog,
          route,
          syntheticEvent(source.source, source.tenant, zone, home, catalog.version),
          config.regions,
        )) {
          if (d.blocked) blocked += 1;
          else
            found.set(`${route.name}|${home}|${d.region}|${d.bus}`, {
              route: route.name,
              home,
              region: d.region,
              bus: d.bus,
            });
        }
  return { sources: sources.map((s) => s.source), deliveries: [...found.values()], blocked };
};

/** Compiles the catalog under the stage and proves where each zone's events can be delivered. */
export const checkCatalog = (stage: string, config: StageConfig, document: unknown): CatalogProof => {
  let catalog: Catalog;
  try {
    catalog = compileCatalog(document, stageCeiling(stage, config));
  } catch (error) {
    if (!(error instanceof CatalogValidationError)) throw error;
    const issues = error.issues.map((i) => ({
      scope: 'catalog' as const,
      key: 'catalog',
      message: `${i.path}: ${i.message}`,
    }));
    return { zones: new Map(), violations: issues, warnings: [] };
  }
  const zones = new Map(
    Object.keys(config.residencyZones).map((zone) => [zone, zoneDeliveries(catalog, config, zone)]),
  );
  const violations: Violation[] = [...zones].flatMap(([zone, proof]) =>
    proof.deliveries
      .filter((d) => !(config.residencyZones[zone] ?? []).includes(d.region))
      .map((d) => ({
        scope: 'zone' as const,
        key: zone,
        message: `route ${d.route} can deliver an event of ${zone} homed in ${d.home} to ${d.bus} in ${d.region}, outside the zone`,
      })),
  );
  const unlisted = [...new Set([...zones.values()].flatMap((z) => z.deliveries.map((d) => d.bus)))].filter(
    (bus) => !config.targetBuses.includes(bus),
  );
  const warnings = unlisted.map(
    (bus) =>
      `target bus ${bus} is not in stages/${stage}.yml targetBuses: IAM refuses sends to it (such deliveries park)`,
  );
  return { version: catalog.version, zones, violations, warnings };
};
