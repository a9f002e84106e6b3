/**
 * The residency proof of one stage: the storage and access rules checked on the packaged templates
 * and the delivery rules checked on the routes catalog, gathered per zone and per region.
 */
import { zoneTableName } from '../../../shared/table-definitions';
import type { StageConfig } from '../../../stages/lib/stage-file';
import type { RegionTemplates } from '../packaged-templates';
import { accessSummary, checkAccess } from './check-access';
import { checkCatalog } from './check-catalog';
import { checkTables, type Violation } from './check-tables';
import { stageFacts } from './template-facts';

export interface ZoneProof {
  zone: string;
  regions: string[];
  /** Per zone table: the stack that declares it and its replicas. */
  tables: Array<{ logical: string; stack: string; replicas: string[] }>;
  /** `bus@region` the catalog can deliver this zone's events to. */
  buses: string[];
  blocked: number;
  violations: string[];
}

export interface RegionProof {
  region: string;
  zones: string[];
  streams: string[];
  putEvents: { route: string[]; sweeper: string[] };
  remoteTables: string[];
  violations: string[];
}

export interface ResidencyProof {
  stage: string;
  catalog: { file: string; version?: number };
  zones: ZoneProof[];
  regions: RegionProof[];
  catalogViolations: string[];
  warnings: string[];
  violations: Violation[];
}

export interface ProofInput {
  stage: string;
  config: StageConfig;
  templates: readonly RegionTemplates[];
  catalogFile: string;
  catalogDocument: unknown;
}

const messagesFor = (violations: Violation[], scope: Violation['scope'], key: string): string[] =>
  violations.filter((v) => v.scope === scope && v.key === key).map((v) => v.message);

/** Checks every rule and gathers the evidence per zone and region. */
export const proveResidency = ({
  stage,
  config,
  templates,
  catalogFile,
  catalogDocument,
}: ProofInput): ResidencyProof => {
  const facts = stageFacts(templates);
  const catalog = checkCatalog(stage, config, catalogDocument);
  const violations = [
    ...checkTables(stage, config, facts),
    ...checkAccess(stage, config, facts),
    ...catalog.violations,
  ];
  const zones = Object.entries(config.residencyZones).map(([zone, regions]): ZoneProof => {
    const delivered = catalog.zones.get(zone);
    return {
      zone,
      regions,
      tables: (['inbox', 'ledger'] as const).flatMap((logical) =>
        facts.tables
          .filter((t) => t.name === zoneTableName(stage, zone, logical))
          .map((t) => ({ logical, stack: t.stack, replicas: t.replicas })),
      ),
      buses: [...new Set((delivered?.deliveries ?? []).map((d) => `${d.bus}@${d.region}`))].sort(),
      blocked: delivered?.blocked ?? 0,
      violations: messagesFor(violations, 'zone', zone),
    };
  });
  const regions = config.regions.map((region): RegionProof => ({
    region,
    ...accessSummary(config, facts, region),
    violations: messagesFor(violations, 'region', region),
  }));
  return {
    stage,
    catalog: { file: catalogFile, ...(catalog.version !== undefined ? { version: catalog.version } : {}) },
    zones,
    regions,
    catalogViolations: messagesFor(violations, 'catalog', 'catalog'),
    warnings: catalog.warnings,
    violations,
  };
};
