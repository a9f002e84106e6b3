import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type _Record as SdkStreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { DescribeEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { localCredentials } from '../../../local/aws/credentials';
import { createStageTables } from '../../../local/cloud/create-tables';
import { startLocalCloud, type LocalCloud } from '../../../local/cloud/local-cloud';
import { loadLocalStage, type LocalStage } from '../../../local/cloud/local-stage';
import { wireEventBridge } from '../../../local/cloud/wire-event-bridge';
import { toLambdaRecord } from '../../../local/dynamodb-streams/stream-record';
import { createControlTable, type ControlTable } from '../../../shared/adapters/control-table';
import { createCoordTable, type CoordTable } from '../../../shared/adapters/coord-table';
import { createEventBusPublisher, type EventBusPublisher } from '../../../shared/adapters/event-bus';
import { createInboxTable, type InboxTable } from '../../../shared/adapters/inbox-table';
import { createLedgerTable, type LedgerTable } from '../../../shared/adapters/ledger-table';
import { createQuarantineTable, type QuarantineTable } from '../../../shared/adapters/quarantine-table';
import { createQuorumStore, type QuorumStore } from '../../../shared/adapters/quorum-store';
import { createBreakers } from '../../../shared/domain/delivery/breaker-registry';
import { DEFAULT_BREAKER_SETTINGS } from '../../../shared/domain/delivery/breaker';
import { createCatalogProvider, type CatalogProvider } from '../../../shared/services/catalog-provider';
import type { DeliveryDeps, Ownership } from '../../../shared/services/delivery/delivery-deps';
import { ROUTES_REGISTER } from '../../../shared/services/health/health-deps';
import type { IngestDeps } from '../../../shared/services/ingest-event';
import type { OwnershipView } from '../../../shared/services/ownership-view';
import type { RouteDeps } from '../../../shared/services/route-records';
import { createCountingMetrics, createMemoryLog } from '../../../shared/services/telemetry';
import { zoneOfInboxStream } from '../../../shared/table-definitions';
import { tableLayout } from '../../../stages/lib/table-layout';
import { sampleCatalog, SAMPLE_CATALOG_YAML } from '../../helpers/factories';

/** SDK client settings a test may change: one attempt makes an injected fault surface as the error it produced. */
export interface ClientOptions {
  maxAttempts?: number;
}

/** The real adapters of one region, over SDK clients pointed at the local cloud. */
export interface RegionAdapters {
  client: DynamoDBDocumentClient;
  inbox: InboxTable;
  ledger: LedgerTable;
  control: ControlTable;
  coord: CoordTable;
  quarantine: QuarantineTable;
  quorum: QuorumStore;
  bus: EventBusPublisher;
  events: (region: string) => EventBridgeClient;
}

/** An ownership view that owns every (zone, home) at epoch 1, unless a test says otherwise. */
export const ownsEverything = (epoch = 1, since = '2000-01-01T00:00:00.000Z'): OwnershipView => ({
  current: async (zone, home) => ({ zone, home, epoch, since }),
  all: async () => [],
});

/** A stream event as the Lambda event source mapping hands it to the route function. */
export const streamEvent = (records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });

/** Starts one local cloud for a test file with a stage's whole table layout and the sample catalog's buses wired. */
export const startRouterHarness = async ({ stage, regions }: { stage: string; regions: readonly string[] }) => {
  const cloud: LocalCloud = await startLocalCloud({
    regions,
    ports: { dynamodb: 0, eventBridge: 0, control: 0, lambda: 0, sqs: 0 },
  });
  const local: LocalStage = loadLocalStage(stage, regions);
  const destroyables: Array<{ destroy(): void }> = [];
  const track = <T extends { destroy(): void }>(client: T): T => {
    destroyables.push(client);
    return client;
  };
  try {
    await createStageTables(cloud.endpoints.dynamodb, tableLayout(stage, local.config));
    for (const region of regions) await wireEventBridge(cloud.endpoints.eventBridge, local, region, sampleCatalog());
  } catch (error) {
    await cloud.stop();
    throw error;
  }
  const documentClient = (region: string, options: ClientOptions = {}): DynamoDBDocumentClient =>
    track(
      DynamoDBDocumentClient.from(
        new DynamoDBClient({
          region,
          endpoint: cloud.endpoints.dynamodb,
          credentials: localCredentials,
          maxAttempts: options.maxAttempts ?? 3,
        }),
        { marshallOptions: { removeUndefinedValues: true } },
      ),
    );
  const eventBridgeClients = (options: ClientOptions = {}): ((region: string) => EventBridgeClient) => {
    const clients = new Map<string, EventBridgeClient>();
    return (region) => {
      const existing =
        clients.get(region) ??
        track(
          new EventBridgeClient({
            region,
            endpoint: cloud.endpoints.eventBridge,
            credentials: localCredentials,
            maxAttempts: options.maxAttempts ?? 1,
          }),
        );
      clients.set(region, existing);
      return existing;
    };
  };
  const adapters = (region: string, options: ClientOptions = {}): RegionAdapters => {
    const client = documentClient(region, options);
    const events = eventBridgeClients(options);
    const tableOf = (logical: 'inbox' | 'ledger') => (zone: string) => local.tables.zone(zone, logical);
    return {
      client,
      inbox: createInboxTable({ client, tableOf: tableOf('inbox') }),
      ledger: createLedgerTable({ client, tableOf: tableOf('ledger') }),
      control: createControlTable({ client, tableName: local.tables.control }),
      coord: createCoordTable({ client, tableName: local.tables.coord }),
      quarantine: createQuarantineTable({ client, tableName: local.tables.quarantine }),
      quorum: createQuorumStore({
        clients: new Map(regions.map((r) => [r, documentClient(r, { maxAttempts: 1 })])),
        tableName: local.tables.coord,
        now: Date.now,
        settings: {
          durationMs: local.config.health.leaseSeconds * 1000,
          marginMs: local.config.health.skewMarginSeconds * 1000,
        },
      }),
      bus: createEventBusPublisher({ clientFor: events }),
      events,
    };
  };
  const catalogs = (region: string): CatalogProvider => {
    const { control, coord, quorum } = adapters(region);
    const numberOf = (value: unknown) => (typeof value === 'number' ? value : undefined);
    return createCatalogProvider({
      control,
      readActive: async () => {
        // As shared/wiring.ts: an unanswered read is an outage, not "nothing active".
        const read = await quorum.readRegister(ROUTES_REGISTER);
        if (read.outcome !== 'read') throw new Error(`the routes pointer has no quorum (${read.answered} answered)`);
        return numberOf(read.register?.value);
      },
      readActiveHere: async () => numberOf((await coord.readRegisterHere(ROUTES_REGISTER))?.value),
      ttlMs: 0,
      now: Date.now,
      metrics: createCountingMetrics(),
    });
  };
  const deliveryDeps = (region: string, overrides: Partial<DeliveryDeps> = {}) => {
    const { ledger, bus } = adapters(region);
    const metrics = createCountingMetrics();
    const log = createMemoryLog();
    const deps: DeliveryDeps = {
      region,
      ledger,
      bus,
      catalogs: catalogs(region),
      breakers: createBreakers(DEFAULT_BREAKER_SETTINGS, Date.now),
      regionUsable: () => true,
      metrics,
      log,
      now: () => new Date(),
      newToken: randomUUID,
      random: Math.random,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      settings: {
        claimTtlMs: 60_000,
        maxBatchBytes: 262_144,
        maxRounds: 2,
        backoff: { baseMs: 5, capMs: 20 },
        waitBackoff: { baseMs: 100, capMs: 1_000 },
        waitingHorizonMs: 3_600_000,
        catalogGraceMs: 600_000,
      },
      ...overrides,
    };
    return { ...deps, metrics, log };
  };
  const streams = (region: string) =>
    track(new DynamoDBStreamsClient({ region, endpoint: cloud.endpoints.dynamodb, credentials: localCredentials }));
  const readStream = async (
    region: string,
    tableName: string,
  ): Promise<{ records: SdkStreamRecord[]; streamArn: string }> => {
    const client = streams(region);
    const streamArn = (await client.send(new ListStreamsCommand({ TableName: tableName }))).Streams?.[0]?.StreamArn;
    if (!streamArn) throw new Error(`no stream on ${tableName} in ${region}`);
    const described = await client.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const records: SdkStreamRecord[] = [];
    for (const shard of described.StreamDescription?.Shards ?? []) {
      let iterator = (
        await client.send(
          new GetShardIteratorCommand({
            StreamArn: streamArn,
            ShardId: shard.ShardId,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        )
      ).ShardIterator;
      // An open shard always hands back a next iterator; an empty page means we reached its tip.
      for (let page = 0; iterator && page < 100; page += 1) {
        const out = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
        records.push(...(out.Records ?? []));
        if ((out.Records ?? []).length === 0) break;
        iterator = out.NextShardIterator;
      }
    }
    return { records, streamArn };
  };

  return {
    cloud,
    stage,
    local,
    tables: local.tables,
    adapters,
    catalogs,
    deliveryDeps,
    /** Publishes the sample catalog as version 1 and points the quorum register at it (what routes.publish --activate does). */
    async publishSampleCatalog(
      region: string,
      caller = { principal: 'integration-test', verified: false, how: 'test' },
    ) {
      const { control, quorum } = adapters(region);
      const { parseCatalogYaml } = await import('../../../shared/domain/catalog');
      await control.putCatalogVersion(1, parseCatalogYaml(SAMPLE_CATALOG_YAML), caller, new Date().toISOString());
      const current = await quorum.readRegister(ROUTES_REGISTER);
      const version = current.outcome === 'read' ? (current.register?.version ?? 0) : 0;
      await quorum.writeRegister(ROUTES_REGISTER, version + 1, 1);
    },
    ingestDeps(
      region: string,
      overrides: Partial<IngestDeps> = {},
    ): IngestDeps & { metrics: ReturnType<typeof createCountingMetrics> } {
      const { inbox, ledger, quarantine } = adapters(region);
      const metrics = createCountingMetrics();
      return {
        region,
        catalogs: catalogs(region),
        inbox,
        ledger,
        quarantine,
        now: () => new Date(),
        newId: randomUUID,
        maxEventBytes: 262_144,
        retention: { defaultDays: 14, zoneDays: {} },
        bindings: new Map(),
        hopLimit: 3,
        sweepGraceMs: 3_000,
        log: createMemoryLog(),
        ...overrides,
        metrics,
      };
    },
    routeDeps(region: string, overrides: Partial<RouteDeps> = {}) {
      const deps = deliveryDeps(region, overrides);
      return {
        ...deps,
        ownership: ownsEverything(),
        zoneOfStream: (arn: string) => zoneOfInboxStream(stage, arn),
        ...overrides,
        metrics: deps.metrics,
        log: deps.log,
      };
    },
    describeIngressBus: async (region: string) =>
      adapters(region)
        .events(region)
        .send(new DescribeEventBusCommand({ Name: local.names.ingressBus })),
    async getItem(region: string, tableName: string, key: Record<string, string>) {
      return (
        await adapters(region).client.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))
      ).Item;
    },
    async deleteItem(region: string, tableName: string, key: Record<string, string>): Promise<void> {
      await adapters(region).client.send(new DeleteCommand({ TableName: tableName, Key: key }));
    },
    /** The inbox stream records of these ids in one zone (Lambda shape), oldest first, waiting until at least `minimum` exist. */
    async inboxStreamRecords(
      region: string,
      zone: string,
      ids: readonly string[],
      minimum = 1,
    ): Promise<DynamoDBRecord[]> {
      const wanted = new Set(ids);
      const deadline = Date.now() + 10_000;
      for (;;) {
        const { records, streamArn } = await readStream(region, local.tables.zone(zone, 'inbox'));
        const matching = records.filter((r) => wanted.has(r.dynamodb?.Keys?.id?.S ?? ''));
        if (matching.length >= minimum || Date.now() > deadline)
          return matching.map((r) => toLambdaRecord(r, region, streamArn));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      for (const client of destroyables) client.destroy();
      await cloud.stop();
    },
  };
};

export type RouterHarness = Awaited<ReturnType<typeof startRouterHarness>>;
export type { Ownership };
