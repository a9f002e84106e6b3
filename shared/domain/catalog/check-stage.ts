import type { CatalogDocument } from './catalog-schema';
import type { CatalogIssue } from './catalog-errors';
import type { StageCeiling, StageRetention } from './catalog';
import { zoneRetentionDays } from './retention';

/**
 * Tables, replicas and publisher permissions follow the stage file, not the catalog, because infrastructure
 * cannot follow a catalog published at run time (decision 011): a catalog may narrow the stage, never widen it.
 */
export const checkAgainstStage = (doc: CatalogDocument, stage: StageCeiling, issues: CatalogIssue[]): void => {
  checkZones(doc, stage.zones, issues);
  if (stage.bindings) checkBindings(doc, stage.bindings, stage.name ?? '<stage>', issues);
  if (stage.retention) checkTenantRetention(doc, stage.retention, issues);
};

const checkZones = (
  doc: CatalogDocument,
  stageZones: Record<string, readonly string[]>,
  issues: CatalogIssue[],
): void => {
  for (const [zone, regions] of Object.entries(doc.zones)) {
    const allowed = Object.hasOwn(stageZones, zone) ? stageZones[zone] : undefined;
    if (!allowed) {
      const names = Object.keys(stageZones).join(', ');
      issues.push({
        path: `zones.${zone}`,
        message: `zone ${zone} is not a zone of this stage (stage zones: ${names})`,
      });
      continue;
    }
    regions.forEach((region, i) => {
      if (!allowed.includes(region))
        issues.push({
          path: `zones.${zone}[${i}]`,
          message: `${region} is outside the stage's zone ${zone} (${allowed.join(', ')})`,
        });
    });
  }
};

// The stage's ingress permissions are granted per tenant; a source the stage does not bind would be refused there.
const checkBindings = (
  doc: CatalogDocument,
  bindings: Record<string, readonly string[]>,
  stageName: string,
  issues: CatalogIssue[],
): void => {
  for (const [tenant, { sources }] of Object.entries(doc.tenants)) {
    const bound = Object.hasOwn(bindings, tenant) ? (bindings[tenant] ?? []) : [];
    sources.forEach(({ source }, i) => {
      if (!bound.includes(source))
        issues.push({
          path: `tenants.${tenant}.sources[${i}].source`,
          message: `${source} is not bound to tenant ${tenant} in this stage's publishers; add it to stages/${stageName}.yml`,
        });
    });
  }
};

// The stage's retention is what the deployment promises for a zone's data: a tenant may keep less, never more.
const checkTenantRetention = (doc: CatalogDocument, retention: StageRetention, issues: CatalogIssue[]): void => {
  for (const [tenant, { retentionDays, sources }] of Object.entries(doc.tenants)) {
    if (retentionDays === undefined) continue;
    const tightest = sources
      .map(({ residency }) => ({ zone: residency, days: zoneRetentionDays(retention, residency) }))
      .reduce((a, b) => (b.days < a.days ? b : a));
    if (retentionDays > tightest.days)
      issues.push({
        path: `tenants.${tenant}.retentionDays`,
        message: `${retentionDays} days is longer than the stage's retention of ${tightest.days} days for zone ${tightest.zone}`,
      });
  }
};
