import type { CatalogDocument, SourceDocument, TenantDocument } from './catalog-schema';
import type { CatalogIssue } from './catalog-errors';
import type { SourcePolicy, StageCeiling, TenantPolicy } from './catalog';
import { compileKeyPaths } from './catalog-paths';
import { zoneRetentionDays } from './retention';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DAY_MS = UNIT_MS.d;

// Shorter windows would drop little more than EventBridge's own retries, and invite clock-skew surprises.
const MIN_DEDUPE_WINDOW_MS = UNIT_MS.m;

/** Milliseconds of a duration the schema already checked (`30m`, `12h`, `7d`). */
const durationMs = (text: string): number =>
  Number(text.slice(0, -1)) * UNIT_MS[text.slice(-1) as keyof typeof UNIT_MS];

/** The retention a source's dedupe window may not exceed, and where it comes from; unknown without a stage. */
const retentionCeiling = (
  tenant: TenantDocument,
  tenantPath: string,
  residency: string,
  stage: StageCeiling | undefined,
): { days: number; from: string } | undefined => {
  if (tenant.retentionDays !== undefined) return { days: tenant.retentionDays, from: `${tenantPath}.retentionDays` };
  if (!stage?.retention) return undefined;
  return { days: zoneRetentionDays(stage.retention, residency), from: `the stage's retention for zone ${residency}` };
};

const compileDedupeWindow = (
  s: SourceDocument,
  path: string,
  ceiling: { days: number; from: string } | undefined,
  issues: CatalogIssue[],
): number | undefined => {
  if (s.dedupeWindow === undefined) return undefined;
  const ms = durationMs(s.dedupeWindow);
  if (ms < MIN_DEDUPE_WINDOW_MS)
    issues.push({ path: `${path}.dedupeWindow`, message: `${s.dedupeWindow} is shorter than the 1-minute minimum` });
  else if (ceiling && ms > ceiling.days * DAY_MS)
    issues.push({
      path: `${path}.dedupeWindow`,
      message: `${s.dedupeWindow} is longer than the source's retention of ${ceiling.days} days (${ceiling.from})`,
    });
  return ms;
};

/** Compiles tenants and their sources: owner, zone, key paths, dedupe window and retention of each. */
export const compileTenants = (
  doc: CatalogDocument,
  stage: StageCeiling | undefined,
  issues: CatalogIssue[],
): { sources: Map<string, SourcePolicy>; tenants: Map<string, TenantPolicy> } => {
  const sources = new Map<string, SourcePolicy>();
  const tenants = new Map<string, TenantPolicy>();
  for (const [name, tenant] of Object.entries(doc.tenants)) {
    const tenantPath = `tenants.${name}`;
    tenants.set(name, { name, ...(tenant.retentionDays !== undefined ? { retentionDays: tenant.retentionDays } : {}) });
    tenant.sources.forEach((s, i) => {
      const path = `${tenantPath}.sources[${i}]`;
      const owner = sources.get(s.source);
      if (owner)
        issues.push({
          path: `${path}.source`,
          message: `source ${s.source} already belongs to tenant ${owner.tenant}`,
        });
      if (!Object.hasOwn(doc.zones, s.residency))
        issues.push({ path: `${path}.residency`, message: `unknown residency zone ${s.residency}` });
      const keyPaths = compileKeyPaths(s.idempotencyKey, `${path}.idempotencyKey`, issues);
      const ceiling = retentionCeiling(tenant, tenantPath, s.residency, stage);
      const dedupeWindowMs = compileDedupeWindow(s, path, ceiling, issues);
      sources.set(s.source, {
        source: s.source,
        tenant: name,
        keyPaths,
        ...(dedupeWindowMs !== undefined ? { dedupeWindowMs } : {}),
        residency: s.residency,
      });
    });
  }
  return { sources, tenants };
};
