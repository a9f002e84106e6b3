import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient, PutEventsCommand, type PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import { stageTableName, zoneTableName } from '../../../shared/table-definitions';
import { awsCli, type Delivery, type E2eTarget, type Item, type PublishEntry } from './e2e-target';
import { waitFor, type Check } from '../../../local/harness/wait-for';

const run = promisify(execFile);
const POLL_MS = 1_000;
// AWS exposes no "nothing in flight" signal; route has no batching window, so a few seconds of
// quiet covers a stream poll, a replication hop and a confirm.
const QUIET_MS = 5_000;
const READ_CONCURRENCY = 16;

/** The stack outputs the suite needs (serverless/outputs.yml); zone tables are named by convention (shared/table-definitions.ts). */
export const REQUIRED_OUTPUTS = ['IngressBusName'] as const;
type Resources = Record<(typeof REQUIRED_OUTPUTS)[number], string>;

/** Reads `switchyard-<stage>`'s outputs in a region with the AWS CLI, naming what is missing. */
export const readStackOutputs = async (stage: string, region: string): Promise<Resources> => {
  const stack = `switchyard-${stage}`;
  const { stdout } = await run(
    awsCli(),
    ['cloudformation', 'describe-stacks', '--stack-name', stack, '--region', region, '--output', 'json'],
    { env: { ...process.env, AWS_PAGER: '' } },
  ).catch((error: { stderr?: string }) => {
    throw new Error(`cannot read stack ${stack} in ${region}: ${String(error.stderr ?? error).trim()}`);
  });
  const outputs =
    (JSON.parse(stdout) as { Stacks?: Array<{ Outputs?: Array<{ OutputKey?: string; OutputValue?: string }> }> })
      .Stacks?.[0]?.Outputs ?? [];
  const values = Object.fromEntries(outputs.map((o) => [o.OutputKey, o.OutputValue]));
  const missing = REQUIRED_OUTPUTS.filter((key) => !values[key]);
  if (missing.length > 0)
    throw new Error(
      `stack ${stack} in ${region} has no output ${missing.join(', ')}: deploy this version (serverless/outputs.yml) with scripts/deploy.sh ${stage}`,
    );
  return values as Resources;
};

/** A deployed stage behind the e2e target interface: real SDK clients on the default credential chain. */
export class StageTarget implements E2eTarget {
  readonly kind = 'stage';
  private readonly events = new Map<string, EventBridgeClient>();
  private readonly docs = new Map<string, DynamoDBDocumentClient>();

  private constructor(
    readonly stage: string,
    readonly regions: readonly string[],
    readonly maxEventBytes: number,
    private readonly resources: ReadonlyMap<string, Resources>,
    private readonly zones: Readonly<Record<string, readonly string[]>>,
  ) {}

  static async open(spec: {
    stage: string;
    regions: readonly string[];
    maxEventBytes: number;
    zones: Record<string, string[]>;
  }): Promise<StageTarget> {
    const resources = await Promise.all(
      spec.regions.map(async (region) => [region, await readStackOutputs(spec.stage, region)] as const),
    );
    return new StageTarget(spec.stage, spec.regions, spec.maxEventBytes, new Map(resources), spec.zones);
  }

  async publish(region: string, entries: readonly PublishEntry[]): Promise<PutEventsResultEntry[]> {
    const results: PutEventsResultEntry[] = [];
    for (let i = 0; i < entries.length; i += 10) {
      const chunk = entries
        .slice(i, i + 10)
        .map((e) => ({ ...e, EventBusName: this.resource(region, 'IngressBusName') }));
      const response = await this.eventsClient(region).send(new PutEventsCommand({ Entries: chunk }));
      if (response.FailedEntryCount)
        throw new Error(`ingress rejected ${response.FailedEntryCount} entries: ${JSON.stringify(response.Entries)}`);
      results.push(...(response.Entries ?? []));
    }
    return results;
  }

  /** Confirmed deliveries from the ledgers (status delivered), as `<target>#<region>`, one per delivery row. */
  async deliveries(ids: readonly string[]): Promise<Delivery[]> {
    const rows = (await Promise.all(this.regions.map((r) => this.ledger(r, ids)))).flat();
    const unique = new Map(
      rows.filter((e) => e.status === 'delivered').map((e) => [`${String(e.id)}|${String(e.sk)}`, e]),
    );
    return [...unique.values()].map((e) => ({ id: String(e.id), to: `${String(e.target)}#${String(e.region)}` }));
  }

  async ledger(region: string, ids: readonly string[]): Promise<Item[]> {
    const tables = this.zonesIn(region).map((zone) => zoneTableName(this.stage, zone, 'ledger'));
    const rows = await mapLimit(
      tables.flatMap((table) => ids.map((id) => [table, id] as const)),
      READ_CONCURRENCY,
      ([table, id]) => this.queryAll(region, table, id),
    );
    return rows.flat().filter((row) => row.kind === 'delivery');
  }

  async inbox(region: string, ids: readonly string[]): Promise<Item[]> {
    const pairs = this.zonesIn(region).flatMap((zone) => ids.map((id) => [zone, id] as const));
    const items = await mapLimit(pairs, READ_CONCURRENCY, ([zone, id]) => this.inboxItem(region, zone, id));
    return items.filter((item): item is Item => item !== undefined);
  }

  async inboxItem(region: string, zone: string, id: string): Promise<Item | undefined> {
    const table = zoneTableName(this.stage, zone, 'inbox');
    return (await this.doc(region).send(new GetCommand({ TableName: table, Key: { id }, ConsistentRead: true }))).Item;
  }

  async quarantined(region: string, eventIds: readonly string[]): Promise<Item[]> {
    const found: Item[] = [];
    for (let i = 0; i < eventIds.length; i += 100) {
      const chunk = eventIds.slice(i, i + 100);
      const values = Object.fromEntries(chunk.map((id, n) => [`:e${n}`, id]));
      found.push(
        ...(await this.scanAll(
          region,
          stageTableName(this.stage, 'quarantine'),
          `eventId IN (${Object.keys(values).join(', ')})`,
          values,
        )),
      );
    }
    return found;
  }

  waitFor<T>(what: string, check: Check<T>, timeoutMs = 60_000): Promise<T> {
    return waitFor(`${what} on stage ${this.stage}`, check, timeoutMs, POLL_MS);
  }

  settle(): Promise<void> {
    return sleep(QUIET_MS);
  }

  async stop(): Promise<void> {
    for (const client of [...this.events.values(), ...this.docs.values()]) client.destroy();
  }

  private zonesIn(region: string): string[] {
    return Object.entries(this.zones)
      .filter(([, regions]) => regions.includes(region))
      .map(([zone]) => zone);
  }

  private resource(region: string, key: keyof Resources): string {
    const value = this.resources.get(region)?.[key];
    if (!value)
      throw new Error(
        `region ${region} is not part of the e2e target (stage ${this.stage}: ${this.regions.join(', ')})`,
      );
    return value;
  }

  private async queryAll(region: string, table: string, id: string): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await this.doc(region).send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'id = :id',
          ExpressionAttributeValues: { ':id': id },
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  private async scanAll(region: string, table: string, filter: string, values: Item): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await this.doc(region).send(
        new ScanCommand({
          TableName: table,
          FilterExpression: filter,
          ExpressionAttributeValues: values,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  private eventsClient(region: string): EventBridgeClient {
    const client = this.events.get(region) ?? new EventBridgeClient({ region });
    this.events.set(region, client);
    return client;
  }

  private doc(region: string): DynamoDBDocumentClient {
    const client = this.docs.get(region) ?? DynamoDBDocumentClient.from(new DynamoDBClient({ region }));
    this.docs.set(region, client);
    return client;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const mapLimit = async <T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> => {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
};
