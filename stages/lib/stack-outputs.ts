/**
 * The outputs of one region's stack that depend on its zones (serverless/outputs.yml has the
 * rest): every zone table with a replica here, as one output per table and as one JSON map for
 * tools, and the phase-1 names `InboxTableName` / `LedgerTableName` that the deployed e2e target
 * still reads (test/e2e/support/stage-target.ts), pointing at this region's widest zone.
 */
import { zoneTableName } from '../../shared/table-definitions';
import { zonesIn } from './deployment-settings';
import { tableLogicalId } from './stack-tables';
import type { StageConfig } from './stage-file';

/** The zone with the most regions among those with a replica in `region` (stage-file order breaks ties). */
export const widestZone = (config: StageConfig, region: string): string | undefined =>
  zonesIn(config, region).reduce<string | undefined>(
    (best, zone) =>
      best === undefined || (config.residencyZones[zone]?.length ?? 0) > (config.residencyZones[best]?.length ?? 0)
        ? zone
        : best,
    undefined,
  );

/** Outputs keyed by logical id. */
export const stackOutputs = (stage: string, config: StageConfig, region: string) => {
  const zones = zonesIn(config, region);
  const widest = widestZone(config, region) ?? '';
  const perTable = zones.flatMap((zone) =>
    (['inbox', 'ledger'] as const).map((logical) => [
      `${tableLogicalId({ logical, zone })}Name`,
      {
        Description: `The ${zone} zone's ${logical} replica in this region`,
        Value: zoneTableName(stage, zone, logical),
      },
    ]),
  );
  return {
    ...Object.fromEntries(perTable),
    ZoneTables: {
      Description: 'zone → {inbox, ledger} table names, for every zone with a replica in this region (JSON)',
      Value: JSON.stringify(
        Object.fromEntries(
          zones.map((zone) => [
            zone,
            { inbox: zoneTableName(stage, zone, 'inbox'), ledger: zoneTableName(stage, zone, 'ledger') },
          ]),
        ),
      ),
    },
    InboxTableName: {
      Description: `Phase-1 name kept for tools that read one inbox: the ${widest} zone's (see ZoneTables)`,
      Value: zoneTableName(stage, widest, 'inbox'),
    },
    LedgerTableName: {
      Description: `Phase-1 name kept for tools that read one ledger: the ${widest} zone's (see ZoneTables)`,
      Value: zoneTableName(stage, widest, 'ledger'),
    },
  };
};
