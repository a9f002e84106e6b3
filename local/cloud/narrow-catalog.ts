import type { CatalogDocument } from '../../shared/domain/catalog';

/**
 * A catalog for a local cloud that runs fewer regions than the catalog names (`npm start --
 * --regions us-east-1,eu-west-1`): zones, buses, failover orders and pinned regions keep only the
 * running regions, and a pinned route left with none is dropped. The stage is narrowed the same
 * way (local-stage.ts), so the narrowed catalog still fits under it.
 */
export const narrowCatalog = (
  document: CatalogDocument,
  regions: readonly string[],
): { document: CatalogDocument; changed: boolean } => {
  const keep = (list: readonly string[]): string[] => list.filter((r) => regions.includes(r));
  const zones = Object.fromEntries(
    Object.entries(document.zones)
      .map(([zone, list]) => [zone, keep(list)] as const)
      .filter(([, list]) => list.length > 0),
  );
  const targets = Object.fromEntries(
    Object.entries(document.targets).map(([name, target]) => [
      name,
      {
        ...target,
        buses: Object.fromEntries(Object.entries(target.buses).filter(([region]) => regions.includes(region))),
        failover: keep(target.failover),
      },
    ]),
  );
  const routes = document.routes
    .map((route) => (route.regions ? { ...route, regions: keep(route.regions) } : route))
    .filter((route) => !route.regions || route.regions.length > 0);
  const narrowed = { ...document, zones, targets, routes };
  return { document: narrowed, changed: JSON.stringify(narrowed) !== JSON.stringify(document) };
};
