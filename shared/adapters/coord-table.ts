import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Versioned } from '../domain/ownership/register';
import { isConditionalCheckFailed, storeError } from './aws-errors';
import { registerItemKey, registerOf } from './coord-keys';

/** Partitions of a region's coord table besides the quorum store's own (leases, registers: coord-keys.ts). */
export const COORD_VIEWS = {
  /** This region's valid ownerships (sk `<zone>#<home>`), written by its health function after each committed lease round. */
  owns: 'owns',
  /** This region's last health probe (sk `-`). */
  heartbeat: 'heartbeat',
  /** This region's judgement of every region (one item, sk `all`). */
  judgement: 'judgement',
  /** The health probe's write-and-read-back item. */
  probe: 'probe',
} as const;

/** A lease this region holds and may route under until `validUntil`. */
export interface OwnsEntry {
  zone: string;
  home: string;
  epoch: number;
  /** When this epoch was acquired. */
  since: string;
  /** Epoch ms: the lease's expiry minus the skew margin. */
  validUntil: number;
}

/** What a region's health function last saw of its own dependencies. */
export interface Heartbeat {
  region: string;
  at: string;
  ok: boolean;
  probes: { dynamodb: boolean; ingressBus: boolean; targetBuses: Record<string, boolean> };
  problems: string[];
}

/** One region's coord table: what it tells the others about itself, and what its own router reads locally. */
export const createCoordTable = ({ client, tableName }: { client: DynamoDBDocumentClient; tableName: string }) => {
  const getByKey = async (key: Record<string, string>): Promise<Record<string, unknown> | undefined> => {
    try {
      return (await client.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
    } catch (error) {
      throw storeError(tableName, 'GetItem', error);
    }
  };
  const get = (pk: string, sk: string) => getByKey({ pk, sk });
  const query = async (pk: string): Promise<Record<string, unknown>[]> => {
    try {
      const out = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ConsistentRead: true,
        }),
      );
      return out.Items ?? [];
    } catch (error) {
      throw storeError(tableName, 'Query', error);
    }
  };
  const put = async (item: Record<string, unknown>): Promise<void> => {
    try {
      await client.send(new PutCommand({ TableName: tableName, Item: item }));
    } catch (error) {
      throw storeError(tableName, 'PutItem', error);
    }
  };
  return {
    async readOwns(): Promise<OwnsEntry[]> {
      return (await query(COORD_VIEWS.owns)) as unknown as OwnsEntry[];
    },
    putOwns: (entry: OwnsEntry) => put({ pk: COORD_VIEWS.owns, sk: `${entry.zone}#${entry.home}`, ...entry }),
    async dropOwns(zone: string, home: string): Promise<void> {
      try {
        await client.send(
          new DeleteCommand({ TableName: tableName, Key: { pk: COORD_VIEWS.owns, sk: `${zone}#${home}` } }),
        );
      } catch (error) {
        throw storeError(tableName, 'DeleteItem', error);
      }
    },
    /** Forgets an entry whose validity has ended, unless a renewal has replaced it since it was read. */
    async forgetLapsed(entry: OwnsEntry): Promise<void> {
      try {
        await client.send(
          new DeleteCommand({
            TableName: tableName,
            Key: { pk: COORD_VIEWS.owns, sk: `${entry.zone}#${entry.home}` },
            ConditionExpression: 'validUntil = :read',
            ExpressionAttributeValues: { ':read': entry.validUntil },
          }),
        );
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw storeError(tableName, 'DeleteItem', error);
      }
    },
    /** Writes an item and reads it back strongly consistent: the health probe of this region's DynamoDB. */
    async probe(at: string): Promise<void> {
      await put({ pk: COORD_VIEWS.probe, sk: '-', at });
      const back = await get(COORD_VIEWS.probe, '-');
      if (back?.at !== at) throw new Error(`read back ${String(back?.at)} after writing ${at}`);
    },
    putHeartbeat: (heartbeat: Heartbeat) => put({ pk: COORD_VIEWS.heartbeat, sk: '-', ...heartbeat }),
    async readHeartbeat(): Promise<Heartbeat | undefined> {
      return (await get(COORD_VIEWS.heartbeat, '-')) as Heartbeat | undefined;
    },
    putJudgement: (region: string, judgement: Record<string, unknown>) =>
      put({ pk: COORD_VIEWS.judgement, sk: region, ...judgement }),
    async readJudgements(): Promise<Record<string, unknown>[]> {
      return query(COORD_VIEWS.judgement);
    },
    /**
     * This region's own copy of quorum register `name`: one vote, not the quorum's answer (which may
     * be newer). For a reader that can go on with a possibly older value when no majority answers.
     */
    async readRegisterHere(name: string): Promise<Versioned<unknown> | undefined> {
      const item = await getByKey(registerItemKey(name));
      return item ? registerOf(item) : undefined;
    },
  };
};

export type CoordTable = ReturnType<typeof createCoordTable>;
