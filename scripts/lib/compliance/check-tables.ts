/**
 * Residency of storage, from the templates: every zone table is declared once, by a stack inside
 * its zone, with replicas exactly in the zone's regions; quarantine and coord exist in every
 * region as tables of their own, never replicated; each stream mapping reads a zone inbox of its
 * own region's zones.
 */
import { zoneTableName, stageTableName } from '../../../shared/table-definitions';
import type { StageConfig } from '../../../stages/lib/stage-file';
import { tableNameOf, type StageFacts, type TableFact } from './template-facts';

/** A broken rule, filed under the zone or region it concerns. */
export interface Violation {
  scope: 'zone' | 'region' | 'catalog';
  key: string;
  message: string;
}

const ZONE_TABLES = ['inbox', 'ledger'] as const;

/** Zone of a zone table name, for any zone of the stage file. */
export const zoneOfTable = (stage: string, config: StageConfig, name: string): string | undefined =>
  Object.keys(config.residencyZones).find((zone) =>
    ZONE_TABLES.some((logical) => zoneTableName(stage, zone, logical) === name),
  );

const outside = (regions: readonly string[], zone: readonly string[]) => regions.filter((r) => !zone.includes(r));

const checkZoneTable = (zone: string, allowed: readonly string[], name: string, declared: TableFact[]): Violation[] => {
  const v = (message: string): Violation => ({ scope: 'zone', key: zone, message: `${name}: ${message}` });
  if (declared.length === 0) return [v('no stack declares it')];
  if (declared.length > 1)
    return [
      v(`declared by ${declared.length} stacks (${declared.map((t) => t.stack).join(', ')}); exactly one may own it`),
    ];
  const [table] = declared as [TableFact];
  return [
    ...(allowed.includes(table.stack) ? [] : [v(`declared by the ${table.stack} stack, outside the zone`)]),
    ...outside(table.replicas, allowed).map((r) =>
      v(`has a replica in ${r}, outside the zone (${allowed.join(', ')})`),
    ),
    ...outside(allowed, table.replicas).map((r) => v(`has no replica in ${r}, a region of the zone`)),
  ];
};

/** Storage rules of every zone and region. */
export const checkTables = (stage: string, config: StageConfig, facts: StageFacts): Violation[] => {
  const violations: Violation[] = [];
  for (const [zone, regions] of Object.entries(config.residencyZones)) {
    for (const logical of ZONE_TABLES) {
      const name = zoneTableName(stage, zone, logical);
      violations.push(
        ...checkZoneTable(
          zone,
          regions,
          name,
          facts.tables.filter((t) => t.name === name),
        ),
      );
    }
  }
  const known = new Set([
    ...Object.keys(config.residencyZones).flatMap((z) => ZONE_TABLES.map((l) => zoneTableName(stage, z, l))),
    ...(['control', 'quarantine', 'coord'] as const).map((l) => stageTableName(stage, l)),
  ]);
  for (const table of facts.tables.filter((t) => !known.has(t.name)))
    violations.push({
      scope: 'region',
      key: table.stack,
      message: `${table.name} is no table of the stage layout (replicas: ${table.replicas.join(', ')})`,
    });
  for (const region of config.regions) {
    for (const logical of ['quarantine', 'coord'] as const) {
      const name = stageTableName(stage, logical);
      const own = facts.tables.filter((t) => t.name === name && t.stack === region);
      if (own.length !== 1 || own[0]?.global || own[0]?.replicas.join() !== region)
        violations.push({
          scope: 'region',
          key: region,
          message: `${name} must be a table of its own in the ${region} stack, never replicated (found: ${own.map((t) => `${t.global ? 'global' : 'regional'} [${t.replicas.join(', ')}]`).join('; ') || 'none'})`,
        });
    }
  }
  return [...violations, ...checkMappings(stage, config, facts)];
};

/** Each stream mapping reads a zone inbox in its own region, of a zone that includes that region. */
const checkMappings = (stage: string, config: StageConfig, facts: StageFacts): Violation[] =>
  facts.mappings.flatMap(({ region, logicalId, source }) => {
    const table = tableNameOf(source) ?? '';
    const zone = zoneOfTable(stage, config, table);
    const ok =
      zone !== undefined &&
      table.endsWith('-inbox') &&
      source?.region === region &&
      (config.residencyZones[zone] ?? []).includes(region);
    return ok
      ? []
      : [
          {
            scope: 'region' as const,
            key: region,
            message: `${logicalId} reads ${source?.text ?? 'an unknown stream'}: not a zone inbox replica of ${region}'s zones`,
          },
        ];
  });
