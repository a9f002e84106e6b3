import { createHash, randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { canonicalJson } from '../domain/canonical-json';
import { CatalogVersionConflictError } from '../domain/catalog/catalog-errors';
import { isConditionalCheckFailed, storeError } from './aws-errors';
import { CONTROL_JOB_KEYS, controlJobs, type ControlJobs } from './control-jobs';

/** Partition keys of the control table: it holds no payload and no raw key (docs/decisions/011). */
export const CONTROL_KEYS = {
  routes: 'ROUTES',
  version: (version: number): string => `VERSION#${String(version).padStart(10, '0')}`,
  audit: (day: string): string => `AUDIT#${day}`,
  outage: (region: string): string => `OUTAGE#${region}`,
  /** Replay and reconcile jobs: summaries, part progress, the active list (control-jobs.ts). */
  jobs: CONTROL_JOB_KEYS,
} as const;

/** Who made an admin call, as far as the platform can tell. */
export interface Caller {
  /** The IAM principal, when verified (see docs/decisions); otherwise what the caller claimed. */
  principal: string;
  verified: boolean;
  /** How the principal was established, or why it could not be. */
  how: string;
  requestId?: string;
}

export interface AuditEntry {
  action: string;
  caller: Caller;
  at: string;
  outcome: 'ok' | 'refused' | 'failed';
  details: Record<string, unknown>;
}

/** A region's outage as its peers recorded it: reconcile's default window. */
export interface OutageRecord {
  region: string;
  startedAt: string;
  endedAt?: string;
  recordedBy: string;
}

export interface ControlTable extends ControlJobs {
  getCatalogDocument(version: number, options?: { consistent?: boolean }): Promise<unknown>;
  putCatalogVersion(
    version: number,
    document: unknown,
    caller: Caller,
    now: string,
  ): Promise<'published' | 'unchanged'>;
  audit(entry: AuditEntry): Promise<void>;
  listAudit(day: string, limit: number): Promise<AuditEntry[]>;
  recordOutage(outage: OutageRecord): Promise<void>;
  lastOutage(region: string): Promise<OutageRecord | undefined>;
}

const checksum = (document: unknown): string => createHash('sha256').update(canonicalJson(document)).digest('hex');

/** The control-table adapter (a global table in every stage region): catalog versions, audit, outages, jobs (counts and states). */
export const createControlTable = ({
  client,
  tableName,
}: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): ControlTable => {
  const get = async (pk: string, sk: string, consistent = false): Promise<Record<string, unknown> | undefined> => {
    try {
      return (await client.send(new GetCommand({ TableName: tableName, Key: { pk, sk }, ConsistentRead: consistent })))
        .Item;
    } catch (error) {
      throw storeError(tableName, 'GetItem', error);
    }
  };
  const put = async (item: Record<string, unknown>, operation: string): Promise<void> => {
    try {
      await client.send(new PutCommand({ TableName: tableName, Item: item }));
    } catch (error) {
      throw storeError(tableName, operation, error);
    }
  };
  const query = async (pk: string, limit: number, newestFirst: boolean): Promise<Record<string, unknown>[]> => {
    try {
      const out = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ScanIndexForward: !newestFirst,
          Limit: limit,
        }),
      );
      return out.Items ?? [];
    } catch (error) {
      throw storeError(tableName, 'Query', error);
    }
  };
  return {
    async getCatalogDocument(version, options = {}) {
      const item = await get(CONTROL_KEYS.routes, CONTROL_KEYS.version(version), options.consistent);
      return typeof item?.document === 'string' ? (JSON.parse(item.document) as unknown) : undefined;
    },
    async putCatalogVersion(version, document, caller, now) {
      const sum = checksum(document);
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              pk: CONTROL_KEYS.routes,
              sk: CONTROL_KEYS.version(version),
              version,
              document: JSON.stringify(document),
              checksum: sum,
              publishedAt: now,
              publishedBy: caller.principal,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return 'published';
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw storeError(tableName, 'PutItem(catalog version)', error);
        const existing = await get(CONTROL_KEYS.routes, CONTROL_KEYS.version(version), true);
        if (existing?.checksum === sum) return 'unchanged';
        throw new CatalogVersionConflictError(version);
      }
    },
    audit: (entry) =>
      put(
        { pk: CONTROL_KEYS.audit(entry.at.slice(0, 10)), sk: `${entry.at}#${randomUUID()}`, ...entry },
        'PutItem(audit)',
      ),
    async listAudit(day, limit) {
      return (await query(CONTROL_KEYS.audit(day), limit, true)) as unknown as AuditEntry[];
    },
    recordOutage: (outage) =>
      put({ pk: CONTROL_KEYS.outage(outage.region), sk: outage.startedAt, ...outage }, 'PutItem(outage)'),
    async lastOutage(region) {
      const [latest] = await query(CONTROL_KEYS.outage(region), 1, true);
      return latest as unknown as OutageRecord | undefined;
    },
    ...controlJobs(client, tableName),
  };
};
