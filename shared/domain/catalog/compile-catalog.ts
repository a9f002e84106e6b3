import { compileEventPattern, InvalidEventPatternError } from '../event-pattern';
import { catalogSchema, type CatalogDocument, type RouteDocument } from './catalog-schema';
import { CatalogValidationError, formatPath, type CatalogIssue } from './catalog-errors';
import type { Catalog, CompileOptions, Route, SourcePolicy, Target } from './catalog';
import { checkAgainstStage } from './check-stage';
import { checkProjectionPerTarget, compileProjection } from './compile-projection';
import { compileTenants } from './compile-sources';

/**
 * Validates a parsed catalog document (schema, then cross-references and, given a stage, the stage's ceiling)
 * and compiles it; throws CatalogValidationError naming the path of every mistake.
 */
export const compileCatalog = (input: unknown, options: CompileOptions = {}): Catalog => {
  const parsed = catalogSchema.safeParse(input);
  if (!parsed.success) {
    throw new CatalogValidationError(
      parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
    );
  }
  const doc = parsed.data;
  const issues: CatalogIssue[] = [];
  if (options.stage) checkAgainstStage(doc, options.stage, issues);
  const { sources, tenants } = compileTenants(doc, options.stage, issues);
  const targets = compileTargets(doc, issues);
  const routes = doc.routes.flatMap((route, i) => compileRoute(route, `routes[${i}]`, doc, sources, issues));
  checkUniqueRouteNames(doc, issues);
  checkProjectionPerTarget(doc, issues);
  if (issues.length > 0) throw new CatalogValidationError(issues);
  const zones = new Map(Object.entries(doc.zones));
  return Object.freeze({ version: doc.version, sources, tenants, zones, targets, routes });
};

const compileTargets = (doc: CatalogDocument, issues: CatalogIssue[]): Map<string, Target> => {
  const targets = new Map<string, Target>();
  for (const [name, target] of Object.entries(doc.targets)) {
    const buses = new Map(Object.entries(target.buses));
    target.failover.forEach((region, i) => {
      if (!buses.has(region))
        issues.push({
          path: `targets.${name}.failover[${i}]`,
          message: `region ${region} has no bus in targets.${name}.buses`,
        });
    });
    if (new Set(target.failover).size !== target.failover.length) {
      issues.push({ path: `targets.${name}.failover`, message: 'lists a region more than once' });
    }
    targets.set(name, { name, buses, failover: target.failover });
  }
  return targets;
};

const compileRoute = (
  route: RouteDocument,
  path: string,
  doc: CatalogDocument,
  sources: Map<string, SourcePolicy>,
  issues: CatalogIssue[],
): Route[] => {
  const before = issues.length;
  if (!Object.hasOwn(doc.tenants, route.tenant))
    issues.push({ path: `${path}.tenant`, message: `unknown tenant ${route.tenant}` });
  route.targets.forEach((target, i) => {
    if (!Object.hasOwn(doc.targets, target))
      issues.push({ path: `${path}.targets[${i}]`, message: `unknown target ${target}` });
  });
  checkRouteRegions(route, path, doc, issues);
  checkRouteSources(route, path, sources, issues);
  const pattern = compileRoutePattern(route, path, issues);
  const projection = compileProjection(route, path, issues);
  if (issues.length > before || !pattern) return [];
  return [
    {
      name: route.name,
      tenant: route.tenant,
      pattern,
      targets: route.targets,
      mode: route.mode,
      ...(route.regions ? { regions: route.regions } : {}),
      ...(projection ? { projection } : {}),
    },
  ];
};

const checkRouteRegions = (route: RouteDocument, path: string, doc: CatalogDocument, issues: CatalogIssue[]): void => {
  if (route.mode !== 'pinned') {
    if (route.regions)
      issues.push({ path: `${path}.regions`, message: `only pinned routes list regions (mode is ${route.mode})` });
    return;
  }
  if (!route.regions) {
    issues.push({ path: `${path}.regions`, message: 'a pinned route must list its regions' });
    return;
  }
  route.regions.forEach((region, i) => {
    for (const target of route.targets) {
      const buses = Object.hasOwn(doc.targets, target) ? doc.targets[target]?.buses : undefined;
      if (buses && !Object.hasOwn(buses, region))
        issues.push({ path: `${path}.regions[${i}]`, message: `target ${target} has no bus in ${region}` });
    }
  });
};

/** A route's tenant must own every source its pattern names, so one tenant cannot route another's events. */
const checkRouteSources = (
  route: RouteDocument,
  path: string,
  sources: Map<string, SourcePolicy>,
  issues: CatalogIssue[],
): void => {
  const named = route.pattern.source;
  if (!Array.isArray(named) || named.length === 0 || !named.every((s) => typeof s === 'string')) {
    issues.push({
      path: `${path}.pattern.source`,
      message: 'must list the exact sources this route takes, e.g. source: [com.example.orders]',
    });
    return;
  }
  named.forEach((source: string, i) => {
    const owner = sources.get(source);
    if (!owner)
      issues.push({ path: `${path}.pattern.source[${i}]`, message: `source ${source} is not declared by any tenant` });
    else if (owner.tenant !== route.tenant) {
      issues.push({
        path: `${path}.pattern.source[${i}]`,
        message: `source ${source} belongs to tenant ${owner.tenant}, not ${route.tenant}`,
      });
    }
  });
};

const compileRoutePattern = (
  route: RouteDocument,
  path: string,
  issues: CatalogIssue[],
): Route['pattern'] | undefined => {
  try {
    return compileEventPattern(route.pattern);
  } catch (error) {
    if (!(error instanceof InvalidEventPatternError)) throw error;
    issues.push({ path: `${path}.pattern`, message: error.message });
    return undefined;
  }
};

const checkUniqueRouteNames = (doc: CatalogDocument, issues: CatalogIssue[]): void => {
  const seen = new Set<string>();
  doc.routes.forEach((route, i) => {
    if (seen.has(route.name))
      issues.push({ path: `routes[${i}].name`, message: `route name ${route.name} is used twice` });
    seen.add(route.name);
  });
};
