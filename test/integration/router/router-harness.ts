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
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { localCredentials } from '../../../local/aws/credentials';
import { createStageTables } from '../../../local/cloud/create-tables';
import { startLocalCloud, type LocalCloud } from '../../../local/cloud/local-cloud';
import { stageNames } from '../../../stages/lib/deployment-settings';
import { loadLocalStage } from '../../../local/cloud/local-stage';
import { wireEventBridge } from '../../../local/cloud/wire-event-bridge';
import { toLambdaRecord } from '../../../local/dynamodb-streams/stream-record';
import { createControlTable, type ControlTable } from '../../../shared/adapters/control-table';
import { createEventBusPublisher, type EventBusPublisher } from '../../../shared/adapters/event-bus';
import { createInboxTable, type InboxTable } from '../../../shared/adapters/inbox-table';
import { createLedgerTable, type LedgerTable } from '../../../shared/adapters/ledger-table';
import { createQuarantineTable, type QuarantineTable } from '../../../shared/adapters/quarantine-table';
import type { RouterConfig } from '../../../shared/config';
import { createHandler as createAdminHandler } from '../../../functions/admin/handler';
import type { AdminResponse } from '../../../shared/services/admin-actions';
import { createCatalogProvider } from '../../../shared/services/catalog-provider';
import { createCountingSink } from '../../../shared/services/delivery-metrics';
import type { IngestDeps } from '../../../shared/services/ingest-event';
import type { ProbeDeps } from '../../../shared/services/probe-region';
import type { RouteDeps } from '../../../shared/services/route-records';
import { physicalTableName } from '../../../shared/table-definitions';
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
  quarantine: QuarantineTable;
  bus: EventBusPublisher;
  events: (region: string) => EventBridgeClient;
}

/** A local cloud with one stage's tables and buses, and builders for each handler's real deps. */
export interface RouterHarness {
  cloud: LocalCloud;
  stage: string;
  tables: RouterConfig['tables'];
  adapters(region: string, options?: ClientOptions): RegionAdapters;
  /** Publishes and activates the sample catalog through the admin handler. */
  publishSampleCatalog(region: string): Promise<AdminResponse>;
  ingestDeps(region: string, overrides?: Partial<IngestDeps>): IngestDeps;
  routeDeps(
    region: string,
    overrides?: Partial<RouteDeps>,
  ): RouteDeps & { metrics: ReturnType<typeof createCountingSink> };
  probeDeps(region: string, options?: ClientOptions): ProbeDeps;
  getItem(
    region: string,
    table: keyof RouterConfig['tables'],
    key: Record<string, string>,
  ): Promise<Record<string, unknown> | undefined>;
  /** The inbox stream records of these ids (Lambda shape), oldest first, waiting until at least `minimum` exist. */
  inboxStreamRecords(region: string, ids: readonly string[], minimum?: number): Promise<DynamoDBRecord[]>;
  stop(): Promise<void>;
}

/** A stream event as the Lambda event source mapping hands it to the route function. */
export const streamEvent = (records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });

/** Starts one local cloud for a test file, with the stage's tables in every region and the sample catalog's buses wired. */
export const startRouterHarness = async ({
  stage,
  regions,
}: {
  stage: string;
  regions: readonly string[];
}): Promise<RouterHarness> => {
  const cloud = await startLocalCloud({ regions, ports: { dynamodb: 0, eventBridge: 0, control: 0 } });
  const destroyables: Array<{ destroy(): void }> = [];
  const track = <T extends { destroy(): void }>(client: T): T => {
    destroyables.push(client);
    return client;
  };
  try {
    await createStageTables(cloud.endpoints.dynamodb, stage, regions);
    const catalog = sampleCatalog();
    for (const region of regions)
      await wireEventBridge(cloud.endpoints.eventBridge, loadLocalStage(stage, regions), region, catalog);
  } catch (error) {
    await cloud.stop();
    throw error;
  }
  const tables = {
    inbox: physicalTableName(stage, 'inbox'),
    ledger: physicalTableName(stage, 'ledger'),
    control: physicalTableName(stage, 'control'),
    quarantine: physicalTableName(stage, 'quarantine'),
  };

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
            maxAttempts: options.maxAttempts ?? 2,
          }),
        );
      clients.set(region, existing);
      return existing;
    };
  };
  const adapters = (region: string, options: ClientOptions = {}): RegionAdapters => {
    const client = documentClient(region, options);
    const events = eventBridgeClients(options);
    return {
      client,
      inbox: createInboxTable({ client, tableName: tables.inbox }),
      ledger: createLedgerTable({ client, tableName: tables.ledger }),
      control: createControlTable({ client, tableName: tables.control }),
      quarantine: createQuarantineTable({ client, tableName: tables.quarantine }),
      bus: createEventBusPublisher({ clientFor: events }),
      events,
    };
  };
  const streams = new Map<string, DynamoDBStreamsClient>();
  const streamsClient = (region: string): DynamoDBStreamsClient => {
    const existing =
      streams.get(region) ??
      track(new DynamoDBStreamsClient({ region, endpoint: cloud.endpoints.dynamodb, credentials: localCredentials }));
    streams.set(region, existing);
    return existing;
  };

  const readStream = async (region: string): Promise<{ records: SdkStreamRecord[]; streamArn: string }> => {
    const client = streamsClient(region);
    const listed = await client.send(new ListStreamsCommand({ TableName: tables.inbox }));
    const streamArn = listed.Streams?.[0]?.StreamArn;
    if (!streamArn) throw new Error(`no stream on ${tables.inbox} in ${region}`);
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
    tables,
    adapters,
    async publishSampleCatalog(region) {
      const admin = createAdminHandler({ control: adapters(region).control, now: () => new Date() });
      return admin({ action: 'routes.publish', actor: 'integration-test', yaml: SAMPLE_CATALOG_YAML, activate: true });
    },
    ingestDeps(region, overrides = {}) {
      const { control, inbox, quarantine } = adapters(region);
      return {
        region,
        catalogs: createCatalogProvider({ control, ttlMs: 0, now: Date.now }),
        inbox,
        quarantine,
        now: () => new Date(),
        newId: randomUUID,
        maxEventBytes: 262_144,
        retentionDays: 14,
        count: () => undefined,
        ...overrides,
      };
    },
    routeDeps(region, overrides = {}) {
      const { control, ledger, bus } = adapters(region);
      const metrics = createCountingSink();
      const available = new Set(regions);
      return {
        region,
        control,
        catalogs: createCatalogProvider({ control, ttlMs: 0, now: Date.now }),
        ledger,
        bus,
        availableRegions: () => available,
        now: () => new Date(),
        newToken: randomUUID,
        random: Math.random,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        retentionDays: 14,
        maxBatchBytes: 262_144,
        maxRounds: 2,
        backoff: { baseMs: 5, capMs: 20 },
        ...overrides,
        metrics,
      };
    },
    probeDeps(region, options = {}) {
      const { control, events } = adapters(region, options);
      return {
        region,
        control,
        probeDynamo: async () => {
          await control.getActiveVersion();
        },
        probeEventBridge: async () => {
          await events(region).send(new DescribeEventBusCommand({ Name: stageNames(stage).ingressBus }));
        },
        now: () => new Date(),
        clock: () => performance.now(),
      };
    },
    async getItem(region, table, key) {
      const out = await adapters(region).client.send(
        new GetCommand({ TableName: tables[table], Key: key, ConsistentRead: true }),
      );
      return out.Item;
    },
    async inboxStreamRecords(region, ids, minimum = 1) {
      const wanted = new Set(ids);
      const deadline = Date.now() + 10_000;
      for (;;) {
        const { records, streamArn } = await readStream(region);
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
