import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { COORD_VIEWS } from '../../shared/adapters/coord-table';
import { COORD_KEYS } from '../../shared/adapters/coord-keys';
import { quorumVerdict, type Judgement, type RegionState } from '../../shared/domain/health';
import { FENCES_REGISTER } from '../../shared/services/health/health-deps';
import { localCredentials } from '../aws/credentials';
import type { LocalCloud } from './local-cloud';

/** One region as the status shows it: the quorum verdict, each region's own judgement of it, and what a drill did to it. */
export interface RegionOwnershipView {
  region: string;
  state: RegionState | 'unknown';
  /** How each region that answered judges this one (its own coord table). */
  judgedBy: Record<string, RegionState>;
  fence: string | null;
  /** Faults, partitions and stopped functions a drill applied to the region. */
  drill: string[];
}

/** Who routes one (zone, home) now: the region whose health function holds a valid lease on it, and its epoch. */
export interface HomeOwner {
  zone: string;
  home: string;
  owner: string | null;
  epoch: number | null;
}

export interface OwnershipStatus {
  at: string;
  regions: RegionOwnershipView[];
  homes: HomeOwner[];
}

type Item = Record<string, unknown>;

/** What a drill has done to a region, in words: stopped functions, skewed clock, faults, partitions. */
const drillNotes = (cloud: LocalCloud, region: string): string[] => {
  const state = cloud.runtime.regionStates.describe(region);
  const faults = cloud.faults
    .list()
    .filter((f) => f.region === region)
    .map(({ service, faults: f }) => `${service} ${f.down ?? 'faulty'}${f.bus ? ` (${f.bus})` : ''}`);
  const cut = cloud.partitions.list().flatMap(([a, b]) => (a === region ? [b] : b === region ? [a] : []));
  return [
    ...(state.functions === 'stopped' ? ['functions stopped'] : []),
    ...(state.clockSkewMs !== 0 ? [`clock ${state.clockSkewMs > 0 ? '+' : ''}${state.clockSkewMs} ms`] : []),
    ...faults,
    ...(cut.length > 0 ? [`cut off from ${cut.join(', ')}`] : []),
  ];
};

/** The newest fences register among the regions' copies (a display, not a quorum read). */
const fencesOf = (tables: ReadonlyArray<readonly Item[]>): Record<string, { mode: string }> => {
  const copies = tables
    .flat()
    .filter(
      (i) => i[COORD_KEYS.partitionKey] === COORD_KEYS.registerPartition && i[COORD_KEYS.sortKey] === FENCES_REGISTER,
    )
    .sort((a, b) => Number(b[COORD_KEYS.attributes.version]) - Number(a[COORD_KEYS.attributes.version]));
  return (copies[0]?.[COORD_KEYS.attributes.value] ?? {}) as Record<string, { mode: string }>;
};

/**
 * Reads every region's coord table straight from the engine (so a drill's faults do not hide it)
 * and returns each region's state and who owns each (zone, home) at which epoch.
 */
export const createOwnershipStatus = (
  cloud: LocalCloud,
  coordTable: string,
  zones: Readonly<Record<string, readonly string[]>>,
): { read(): Promise<OwnershipStatus>; close(): void } => {
  const clients = new Map(
    cloud.regions.map((region) => [
      region,
      DynamoDBDocumentClient.from(
        new DynamoDBClient({ region, endpoint: cloud.endpoints.dynamodbEngine, credentials: localCredentials }),
      ),
    ]),
  );
  const scan = async (region: string): Promise<Item[]> => {
    const out = await clients.get(region)?.send(new ScanCommand({ TableName: coordTable }));
    return out?.Items ?? [];
  };
  return {
    async read() {
      const now = Date.now();
      const tables = await Promise.all(cloud.regions.map((r) => scan(r).catch((): Item[] => [])));
      const judgements = tables.map(
        (items) =>
          items.find((i) => i.pk === COORD_VIEWS.judgement && i.sk === 'all')?.judgements as
            Record<string, Judgement> | undefined,
      );
      const fences = fencesOf(tables);
      const regions = cloud.regions.map((region) => ({
        region,
        state: fences[region]
          ? ('fenced' as const)
          : quorumVerdict(
              judgements.map((set) => set?.[region]),
              cloud.regions.length,
            ),
        judgedBy: Object.fromEntries(
          cloud.regions.flatMap((by, i) => {
            const state = judgements[i]?.[region]?.state;
            return state ? [[by, state]] : [];
          }),
        ),
        fence: fences[region]?.mode ?? null,
        drill: drillNotes(cloud, region),
      }));
      const owns = tables.flatMap((items, i) =>
        items
          .filter((item) => item.pk === COORD_VIEWS.owns && Number(item.validUntil) > now)
          .map((item) => ({ owner: cloud.regions[i] ?? '?', sk: String(item.sk), epoch: Number(item.epoch) })),
      );
      const homes = Object.entries(zones).flatMap(([zone, list]) =>
        list.map((home) => {
          const held = owns.filter((o) => o.sk === `${zone}#${home}`).sort((a, b) => b.epoch - a.epoch)[0];
          return { zone, home, owner: held?.owner ?? null, epoch: held?.epoch ?? null };
        }),
      );
      return { at: new Date(now).toISOString(), regions, homes };
    },
    close: () => clients.forEach((client) => client.destroy()),
  };
};
