import { createHash, randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { canonicalJson } from '../domain/canonical-json';
import { CatalogVersionConflictError, CatalogVersionNotFoundError } from '../domain/catalog/catalog-errors';
import { StoreUnavailableError } from '../domain/infrastructure-errors';
import { isConditionalCheckFailed, isTransactionConditionFailed } from './aws-errors';

const ROUTES = 'ROUTES';
const ACTIVE = 'ACTIVE';
const versionKey = (version: number): string => `VERSION#${String(version).padStart(10, '0')}`;

/** A duplicate delivery the router detected (two regions ingested one key inside the replication window). */
export interface DuplicateRecord {
  id: string;
  homes: string[];
  detectedIn: string;
  detectedAt: string;
}

export interface ControlTable {
  getActiveVersion(): Promise<number | undefined>;
  getCatalogDocument(version: number): Promise<unknown>;
  putCatalogVersion(version: number, document: unknown, actor: string, now: string): Promise<'published' | 'unchanged'>;
  activateVersion(version: number, actor: string, now: string): Promise<{ previous?: number }>;
  getRegionEpoch(region: string): Promise<number>;
  /** Records a detected duplicate once; false when it was already recorded. */
  recordDuplicate(record: DuplicateRecord): Promise<boolean>;
  putHeartbeat(heartbeat: RegionHeartbeat): Promise<void>;
}

/** What a region's health probe last saw of its own dependencies. */
export interface RegionHeartbeat {
  region: string;
  at: string;
  dynamodbMs: number;
  eventBridgeMs: number;
  ok: boolean;
  problems: string[];
}

const checksum = (document: unknown): string => createHash('sha256').update(canonicalJson(document)).digest('hex');

/** The control-table adapter: routes catalog versions, the active pointer, region epochs, duplicates and audit. */
export const createControlTable = ({
  client,
  tableName,
}: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): ControlTable => {
  const get = async (pk: string, sk: string): Promise<Record<string, unknown> | undefined> => {
    try {
      return (await client.send(new GetCommand({ TableName: tableName, Key: { pk, sk } }))).Item;
    } catch (error) {
      throw new StoreUnavailableError(tableName, 'GetItem', error);
    }
  };
  const audit = (action: string, actor: string, now: string, details: Record<string, unknown>) => ({
    Put: {
      TableName: tableName,
      Item: { pk: `AUDIT#${now.slice(0, 10)}`, sk: `${now}#${randomUUID()}`, action, actor, at: now, details },
    },
  });
  return {
    async getActiveVersion() {
      const item = await get(ROUTES, ACTIVE);
      return typeof item?.version === 'number' ? item.version : undefined;
    },
    async getCatalogDocument(version) {
      const item = await get(ROUTES, versionKey(version));
      return typeof item?.document === 'string' ? (JSON.parse(item.document) as unknown) : undefined;
    },
    async putCatalogVersion(version, document, actor, now) {
      const sum = checksum(document);
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    pk: ROUTES,
                    sk: versionKey(version),
                    version,
                    document: JSON.stringify(document),
                    checksum: sum,
                    publishedAt: now,
                    publishedBy: actor,
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              audit('routes.publish', actor, now, { version, checksum: sum }),
            ],
          }),
        );
        return 'published';
      } catch (error) {
        if (!isTransactionConditionFailed(error, 0))
          throw new StoreUnavailableError(tableName, 'TransactWriteItems', error);
        const existing = await get(ROUTES, versionKey(version));
        if (existing?.checksum === sum) return 'unchanged';
        throw new CatalogVersionConflictError(version);
      }
    },
    async activateVersion(version, actor, now) {
      const previous = await this.getActiveVersion();
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                ConditionCheck: {
                  TableName: tableName,
                  Key: { pk: ROUTES, sk: versionKey(version) },
                  ConditionExpression: 'attribute_exists(pk)',
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: { pk: ROUTES, sk: ACTIVE, version, activatedAt: now, activatedBy: actor, previous },
                },
              },
              audit('routes.activate', actor, now, { version, previous }),
            ],
          }),
        );
      } catch (error) {
        if (isTransactionConditionFailed(error, 0)) throw new CatalogVersionNotFoundError(version);
        throw new StoreUnavailableError(tableName, 'TransactWriteItems', error);
      }
      return previous === undefined ? {} : { previous };
    },
    async getRegionEpoch(region) {
      const item = await get('REGION', region);
      return typeof item?.epoch === 'number' ? item.epoch : 0;
    },
    async putHeartbeat(heartbeat) {
      try {
        await client.send(
          new PutCommand({ TableName: tableName, Item: { pk: 'HEARTBEAT', sk: heartbeat.region, ...heartbeat } }),
        );
      } catch (error) {
        throw new StoreUnavailableError(tableName, 'PutItem', error);
      }
    },
    async recordDuplicate(record) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { pk: 'DUPLICATE', sk: record.id, ...record },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return false;
        throw new StoreUnavailableError(tableName, 'PutItem', error);
      }
    },
  };
};
