import { countWritesOf } from '../dynamodb-streams/table-writes';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import {
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
  type PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import { TRACE_PREFIX } from '../../shared/domain/ingest/trace-namespace';
import { localCredentials } from '../aws/credentials';
import { stageNames } from '../../stages/lib/deployment-settings';
import { startRouterCloud, type RouterCloud } from '../cloud/router-cloud';
import type { RouterOptions } from '../cloud/deploy-router';
import { waitFor, type Check } from './wait-for';
import type { RecordedEvent } from '../eventbridge/inspector';

export const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;

/** Drives the router on the local cloud the way a producer and an operator would: through the real SDK. */
export class RouterHarness {
  private readonly events = new Map<string, EventBridgeClient>();
  private readonly docs = new Map<string, DynamoDBDocumentClient>();

  private constructor(readonly rc: RouterCloud) {}

  static async start(router: RouterOptions = {}): Promise<RouterHarness> {
    const rc = await startRouterCloud({
      regions: REGIONS,
      ports: { dynamodb: 0, eventBridge: 0, control: 0, lambda: 0, sqs: 0 },
      router: { logLevel: 'WARN', ...router },
    });
    return new RouterHarness(rc);
  }

  get stage(): string {
    return this.rc.router.stage;
  }

  /** Publishes entries to the ingress bus of a region, 10 per PutEvents call. */
  async publish(
    region: string,
    entries: ReadonlyArray<Omit<PutEventsRequestEntry, 'EventBusName'>>,
  ): Promise<PutEventsResultEntry[]> {
    const client = this.eventsClient(region);
    const results: PutEventsResultEntry[] = [];
    for (let i = 0; i < entries.length; i += 10) {
      const chunk = entries.slice(i, i + 10).map((e) => ({ ...e, EventBusName: stageNames(this.stage).ingressBus }));
      const response = await client.send(new PutEventsCommand({ Entries: chunk }));
      if (response.FailedEntryCount)
        throw new Error(`ingress rejected ${response.FailedEntryCount} entries: ${JSON.stringify(response.Entries)}`);
      results.push(...(response.Entries ?? []));
    }
    return results;
  }

  /** Events that reached a target bus, read from the local EventBridge's inspection record. */
  delivered(region?: string, bus?: string): RecordedEvent[] {
    return this.rc.cloud.eventBridge.inspector
      .listEvents({ ...(region ? { region } : {}), ...(bus ? { bus } : {}) })
      .filter((e) => !e.bus.endsWith('-ingress'));
  }

  /** Physical table names of the deployed stage. */
  get tables(): RouterCloud['router']['tables'] {
    return this.rc.router.tables;
  }

  /** Reads a table straight from the engine (not through the proxy), so assertions do not disturb metering or faults. */
  async scan(region: string, tableName: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc(region).send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async get(
    region: string,
    tableName: string,
    key: Record<string, string>,
  ): Promise<Record<string, unknown> | undefined> {
    return (await this.doc(region).send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
  }

  /** Every table that exists in a region, with all its items: what a residency audit scans. */
  async scanRegion(region: string): Promise<Map<string, Record<string, unknown>[]>> {
    const names: string[] = [];
    let start: string | undefined;
    do {
      const page = await this.rawClient(region).send(new ListTablesCommand({ ExclusiveStartTableName: start }));
      names.push(...(page.TableNames ?? []));
      start = page.LastEvaluatedTableName;
    } while (start);
    return new Map(await Promise.all(names.map(async (name) => [name, await this.scan(region, name)] as const)));
  }

  /** Waits until `check` returns a value (not undefined/false), polling every 50 ms. */
  waitFor<T>(what: string, check: Check<T>, timeoutMs = 90_000): Promise<T> {
    return waitFor(what, check, timeoutMs, 50);
  }

  /**
   * Waits until the region's current sweeper invocation has `needMs` left before the next one
   * starts, so work the sweeper runs (a replay job) falls inside one invocation.
   */
  async untilSweeperRunHasLeft(region: string, needMs: number): Promise<void> {
    const period = this.rc.router.schedules.sweeper;
    if (needMs >= period) throw new Error(`${needMs} ms do not fit in one sweeper period of ${period} ms`);
    for (;;) {
      const started = this.rc.router.scheduleClock.lastFiredAt(region, 'sweeper') ?? Date.now();
      const left = started + period - Date.now();
      if (left >= needMs) return;
      await new Promise((resolve) => setTimeout(resolve, Math.max(50, left + 100)));
    }
  }

  /**
   * Waits until the pipeline is quiet: replication idle and no delivery in flight, twice in a row.
   * Fails when replication is busy for 90 s, or deliveries for 150 s, saying what is still busy.
   */
  async settle(): Promise<void> {
    for (let i = 0; i < 2; i += 1) {
      await this.rc.router.replicator.idle(90_000);
      await this.rc.cloud.eventBridge.inspector.idle(150_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }

  async stop(): Promise<void> {
    for (const client of [...this.events.values(), ...this.docs.values()]) client.destroy();
    await this.rc.stop();
  }

  private eventsClient(region: string): EventBridgeClient {
    let client = this.events.get(region);
    if (!client) {
      client = new EventBridgeClient({
        region,
        endpoint: this.rc.cloud.endpoints.eventBridge,
        credentials: localCredentials,
      });
      this.events.set(region, client);
    }
    return client;
  }

  /** A client straight to the engine; its writes are counted, so stream readers wake for them as for the proxy's. */
  private rawClient(region: string): DynamoDBClient {
    const client = new DynamoDBClient({
      region,
      endpoint: this.rc.cloud.endpoints.dynamodbEngine,
      credentials: localCredentials,
    });
    return countWritesOf(client, region, this.rc.cloud.tableWrites);
  }

  private doc(region: string): DynamoDBDocumentClient {
    let client = this.docs.get(region);
    if (!client) {
      client = DynamoDBDocumentClient.from(this.rawClient(region));
      this.docs.set(region, client);
    }
    return client;
  }
}

/** The idempotency key a delivered event carries in its `switchyard:key:` resource. */
export const keyOf = (event: RecordedEvent): string | undefined => traceValue(event, 'key');

/** The attempt number a delivered event carries in its `switchyard:attempt:` resource (0 when none). */
export const attemptOf = (event: RecordedEvent): number => Number(traceValue(event, 'attempt') ?? 0);

/** The value of the router's `switchyard:<name>:` trace resource on a delivered event. */
const traceValue = (event: RecordedEvent, name: string): string | undefined => {
  const prefix = `${TRACE_PREFIX}${name}:`;
  return event.envelope.resources.find((r) => r.startsWith(prefix))?.slice(prefix.length);
};
