/**
 * Residency of access, from the roles and wiring of each region's stack: a function in region R
 * may touch a zone's tables only when R is in that zone and only in the zone's regions; it may
 * send events only to buses in regions of the zones that include R; it writes no other region's
 * quarantine (data quarantined in R stays in R); failure queues and log groups are R's own.
 */
import { stageTableName } from '../../../shared/table-definitions';
import { zonesIn } from '../../../stages/lib/deployment-settings';
import type { StageConfig } from '../../../stages/lib/stage-file';
import type { Violation } from './check-tables';
import { zoneOfTable } from './check-tables';
import { tableNameOf, type GrantFact, type StageFacts } from './template-facts';

/** Regions a router in `region` may deliver to: every region of every zone that includes it. */
export const deliveryRegions = (config: StageConfig, region: string): string[] =>
  config.regions.filter((r) => zonesIn(config, region).some((z) => config.residencyZones[z]?.includes(r)));

/** Actions on another region's quarantine that do not store anything there: admin's erase. */
const ERASE = new Set(['dynamodb:Scan', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:GetItem']);

const grantViolation = (stage: string, config: StageConfig, g: GrantFact): string | undefined => {
  const arn = g.resource;
  const where = `${g.role} in ${g.region} may ${g.action} on ${arn?.text ?? g.written}`;
  if (!arn) return undefined;
  if (arn.service === 'dynamodb') {
    const table = tableNameOf(arn) ?? '';
    const zone = zoneOfTable(stage, config, table);
    if (zone) {
      const regions = config.residencyZones[zone] ?? [];
      if (!regions.includes(g.region)) return `${where}: ${g.region} is not in zone ${zone}`;
      if (!regions.includes(arn.region)) return `${where}: ${arn.region} is outside zone ${zone}`;
    }
    if (table === stageTableName(stage, 'quarantine') && arn.region !== g.region && !ERASE.has(g.action))
      return `${where}: it would store data quarantined in ${g.region} in ${arn.region}`;
    return undefined;
  }
  if (arn.service === 'events' && g.action === 'events:PutEvents') {
    const allowed = deliveryRegions(config, g.region);
    return allowed.includes(arn.region)
      ? undefined
      : `${where}: ${arn.region} is in no zone of ${g.region} (${allowed.join(', ')})`;
  }
  if ((arn.service === 'sqs' || arn.service === 'logs') && arn.region !== g.region)
    return `${where}: ${g.region}'s function data would leave ${g.region}`;
  return undefined;
};

/** Every grant, failure destination and log group of every region's stack. */
export const checkAccess = (stage: string, config: StageConfig, facts: StageFacts): Violation[] => [
  ...facts.grants.flatMap((g) => {
    const message = grantViolation(stage, config, g);
    return message ? [{ scope: 'region' as const, key: g.region, message }] : [];
  }),
  ...facts.destinations
    .filter((d) => d.target?.region !== d.region)
    .map((d) => ({
      scope: 'region' as const,
      key: d.region,
      message: `${d.from} sends failures to ${d.target?.text ?? 'an unknown target'}, outside ${d.region}`,
    })),
  ...facts.logs.flatMap(({ region, groups, functions }) =>
    functions
      .filter((fn) => !groups.includes(`/aws/lambda/${fn}`))
      .map((fn) => ({
        scope: 'region' as const,
        key: region,
        message: `${fn} has no log group of its own in the ${region} stack`,
      })),
  ),
];

/** `switchyard-prod-eu-inbox` → `eu-inbox`. */
const short = (table: string): string => table.replace(/^switchyard-[^-]+-/, '');

/** For the proof: where each region's route and sweeper may send, and which grants reach other regions' tables. */
export const accessSummary = (config: StageConfig, facts: StageFacts, region: string) => {
  const mine = facts.grants.filter((g) => g.region === region);
  const putRegions = (role: string) =>
    [
      ...new Set(
        mine.filter((g) => g.role === role && g.action === 'events:PutEvents').map((g) => g.resource?.region ?? '?'),
      ),
    ].sort();
  const remote = mine.filter((g) => g.resource?.service === 'dynamodb' && g.resource.region !== region);
  const rolesByTable = new Map<string, Set<string>>();
  for (const g of remote) {
    const table = short(tableNameOf(g.resource) ?? '?');
    rolesByTable.set(table, (rolesByTable.get(table) ?? new Set()).add(g.role.replace(/Role$/, '').toLowerCase()));
  }
  return {
    zones: zonesIn(config, region),
    putEvents: { route: putRegions('RouteRole'), sweeper: putRegions('SweeperRole') },
    streams: facts.mappings.filter((m) => m.region === region).map((m) => short(tableNameOf(m.source) ?? '?')),
    remoteTables: [...rolesByTable].map(([table, roles]) => `${table} (${[...roles].sort().join(', ')})`).sort(),
  };
};
