/**
 * Where every table of a stage exists: zone tables in their zone's regions only, the control table
 * in every region, quarantine and coord once per region. One source for serverless (CloudFormation),
 * the local cloud and the compliance check (docs/decisions/011-zone-scoped-storage.md).
 */
import {
  STAGE_TABLES,
  TABLES,
  ZONE_TABLES,
  stageTableName,
  zoneTableName,
  type LogicalTable,
  type TableDefinition,
} from '../../shared/table-definitions';
import type { StageConfig } from './stage-file';

/** One physical table (a global table's replicas, or one regional table per region). */
export interface TableInstance {
  name: string;
  logical: LogicalTable;
  definition: TableDefinition;
  /** The zone whose data it holds (zone tables only). */
  zone?: string;
  /** The regions it exists in. */
  regions: string[];
  /** A global table replicating between `regions`; false: independent tables, one per region. */
  global: boolean;
}

/** Every table of the stage, with the regions it may exist in. */
export const tableLayout = (stage: string, config: StageConfig): TableInstance[] => [
  ...Object.entries(config.residencyZones).flatMap(([zone, regions]) =>
    ZONE_TABLES.map((logical) => ({
      name: zoneTableName(stage, zone, logical),
      logical,
      definition: TABLES[logical],
      zone,
      regions: config.regions.filter((r) => regions.includes(r)),
      global: true,
    })),
  ),
  ...STAGE_TABLES.map((logical) => ({
    name: stageTableName(stage, logical),
    logical,
    definition: TABLES[logical],
    regions: [...config.regions],
    global: TABLES[logical].scope === 'stage',
  })),
];

/**
 * The stack that owns a global table in CloudFormation: the primary region's when the table has a
 * replica there, else its first region (a global table resource must live in one of its replica regions).
 */
export const owningRegion = (table: TableInstance, config: StageConfig): string =>
  table.regions.includes(config.primaryRegion) ? config.primaryRegion : (table.regions[0] ?? config.primaryRegion);
