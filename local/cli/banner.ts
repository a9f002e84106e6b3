import type { OwnershipStatus } from '../cloud/ownership-status';
import type { RouterCloud } from '../cloud/router-cloud';

/** What `npm start` prints once the cloud is up: endpoints, a publish command and where to look. */
export const banner = (rc: RouterCloud, startupMs: number): string => {
  const { endpoints, regions } = rc.cloud;
  const region = regions[0] ?? 'us-east-1';
  const entries = JSON.stringify([
    {
      Source: 'com.switchyard.orders',
      DetailType: 'OrderPlaced',
      Detail: JSON.stringify({ orderId: 'o-1001', total: 1250 }),
      EventBusName: `switchyard-${rc.router.stage}-ingress`,
    },
  ]);
  return `
Switchyard local cloud is up in ${(startupMs / 1000).toFixed(1)} s — regions: ${regions.join(', ')}; routes catalog v${rc.router.catalogVersion} active.

  DynamoDB     ${endpoints.dynamodb}      (region-aware proxy; any access key works)
  EventBridge  ${endpoints.eventBridge}      (AWS JSON 1.1; region from the SigV4 scope)
  Control API  ${endpoints.control}      (GET / lists every route)

Publish an event (AWS CLI v2):
  AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local /usr/bin/aws events put-events \\
    --endpoint-url ${endpoints.eventBridge} --region ${region} \\
    --entries '${entries}'

See it delivered:
  curl -s '${endpoints.control}/inspect/events?region=${region}&bus=fulfilment'
  curl -s '${endpoints.control}/status'
  curl -s '${endpoints.control}/ownership'      (each region's state, who owns which home)
List the tables:
  AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local /usr/bin/aws dynamodb list-tables --endpoint-url ${endpoints.dynamodb} --region ${region}

Ctrl-C stops everything.
`;
};

const counters = (m: Record<string, number>): string =>
  `ingested ${m.Ingested ?? 0}  duplicates ${m.DuplicateDropped ?? 0}  routed ${m.Routed ?? 0}  delivered ${m.Delivered ?? 0}  parked ${m.Parked ?? 0}  quarantined ${m.Quarantined ?? 0}`;

/**
 * The live status block: one line per region (its state, its counters, what a drill did to it),
 * then one line per zone with who owns each home at which epoch (`home→owner@epoch`, `-` for nobody).
 */
export const statusLines = (rc: RouterCloud, ownership?: OwnershipStatus): string[] => {
  const views = new Map(ownership?.regions.map((r) => [r.region, r]));
  const regions = Object.entries(rc.status()).map(([region, m]) => {
    const view = views.get(region);
    const drill = view?.drill.length ? `  [${view.drill.join('; ')}]` : '';
    return `${region.padEnd(15)} ${(view?.state ?? 'unknown').padEnd(10)} ${counters(m)}${drill}`;
  });
  if (!ownership) return regions;
  const zones = [...new Set(ownership.homes.map((h) => h.zone))];
  const owners = zones.map((zone, i) => {
    const homes = ownership.homes
      .filter((h) => h.zone === zone)
      .map((h) => `${h.home}→${h.owner ?? '-'}${h.epoch === null ? '' : `@${h.epoch}`}`);
    return `${(i === 0 ? 'owners' : '').padEnd(15)} ${zone}: ${homes.join('  ')}`;
  });
  return [...regions, ...owners];
};
