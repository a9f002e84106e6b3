import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventRow } from '../../domain/delivery/ledger-entry';
import { LEDGER_ROW, shardOf, storedEventId } from '../../table-definitions';
import { isConditionalCheckFailed, storeError } from '../aws-errors';
import { conditionalWriter } from './conditional-write';
import { REPLICATION_PROBE_ID } from './ledger-queries';

/** What the router records about one event incarnation once it has worked on it. */
export type EventSettlement =
  /** Every planned delivery is delivered or parked: off the sweep index. */
  | { settled: true; now: string }
  /** Something is left: the sweeper looks again at `due`. */
  | { settled: false; due: string; now: string };

/** The record that a home's copy of a key lost to another home's copy (both accepted it inside the replication window). */
export interface DuplicateRecord {
  /** The home whose copy lost: the region that detected it and writes this record. */
  lost: string;
  /** The home whose copy overwrote it (the zone's final copy, or one that lost in turn to a later one). */
  lostTo: string;
  /** Both, sorted. */
  homes: string[];
  detectedIn: string;
  detectedAt: string;
  /** TTL (epoch seconds): the event's own, so the record goes with it. */
  expiresAt?: number;
}

/** A repeat that ingest dropped: which event it repeated, and which ingest attempt dropped it first. */
export interface DroppedRepeat {
  /** The dropped event's own EventBridge id (the row's sort key is built from it; kept as `storedEventId`). */
  eventId: string;
  home: string;
  receivedAt: string;
  /** The event already stored under the key. */
  kept: { eventId: string; home: string };
  /** Unique per ingest attempt: the same token on a refused put is an SDK retry of this very write. */
  token: string;
  /** TTL (epoch seconds): the dropped event's own. */
  expiresAt: number;
}

/** The fields of an event row that identify its incarnation (the rest is derived). */
export type EventRowInput = Omit<EventRow, 'sk' | 'kind' | 'receivedShard' | 'sweepShard' | 'due' | 'settledAt'>;

/** The identifying fields of an event row, taken from the stored row (as `settle` takes them back) or its inbox item. */
export const eventRowInput = (row: EventRowInput): EventRowInput => ({
  id: row.id,
  home: row.home,
  zone: row.zone,
  tenant: row.tenant,
  source: row.source,
  eventId: row.eventId,
  receivedAt: row.receivedAt,
  windowEnd: row.windowEnd,
  routesVersion: row.routesVersion,
  expiresAt: row.expiresAt,
});

/*
 * An event row belongs to one incarnation of a key (its eventId and receivedAt). Opening it again
 * is a no-op for the same incarnation (a retried ingest) and replaces a row an earlier incarnation
 * left behind (its window ended before this event was received).
 */
const rowIsFree = 'attribute_not_exists(sk) OR windowEnd <= :receivedAt';
const sameIncarnation = 'eventId = :eventId';

/** Event rows (the sweeper's work items), duplicate records and dropped repeats, in the zone's ledger. */
export const eventRows = (client: DynamoDBDocumentClient, tableOf: (zone: string) => string) => ({
  /** Opens the event row at ingest, due for the sweeper after the grace period. */
  async open(row: EventRowInput, due: string): Promise<'opened' | 'exists'> {
    const item: EventRow = {
      ...row,
      sk: LEDGER_ROW.event(row.home),
      kind: 'event',
      receivedShard: shardOf(row.home, row.id),
      sweepShard: shardOf(row.home, row.id),
      due,
    };
    const result = await conditionalWriter(client, tableOf(row.zone)).put('PutItem(open event)', {
      Item: item,
      ConditionExpression: rowIsFree,
      ExpressionAttributeValues: { ':receivedAt': Date.parse(row.receivedAt) },
    });
    return result.ok ? 'opened' : 'exists';
  },

  /**
   * Settles the event row, or moves its due time. Settling a row that is missing (ingest crashed
   * before opening it) does nothing; leaving work open writes the whole row, so the sweeper finds
   * it either way. A row of a newer incarnation is never touched.
   */
  async settle(row: EventRowInput, settlement: EventSettlement): Promise<'settled' | 'open' | 'missing'> {
    const table = tableOf(row.zone);
    const key = { id: row.id, sk: LEDGER_ROW.event(row.home) };
    try {
      if (settlement.settled) {
        await client.send(
          new UpdateCommand({
            TableName: table,
            Key: key,
            UpdateExpression: 'SET settledAt = :now REMOVE sweepShard, due',
            ConditionExpression: `attribute_exists(sk) AND ${sameIncarnation}`,
            ExpressionAttributeValues: { ':now': settlement.now, ':eventId': row.eventId },
          }),
        );
        return 'settled';
      }
      const { id: _id, ...fields } = { ...row, kind: 'event', receivedShard: shardOf(row.home, row.id) };
      const names = Object.fromEntries(Object.keys(fields).map((f) => [`#${f}`, f]));
      const values = Object.fromEntries(Object.entries(fields).map(([f, v]) => [`:${f}`, v]));
      await client.send(
        new UpdateCommand({
          TableName: table,
          Key: key,
          UpdateExpression: `SET ${Object.keys(fields)
            .map((f) => `#${f} = :${f}`)
            .join(', ')}, sweepShard = :shard, due = :due REMOVE settledAt`,
          ConditionExpression: `attribute_not_exists(sk) OR #eventId = :eventId`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ...values, ':shard': shardOf(row.home, row.id), ':due': settlement.due },
        }),
      );
      return 'open';
    } catch (error) {
      if (isConditionalCheckFailed(error)) return 'missing';
      throw storeError(table, 'UpdateItem(settle event)', error);
    }
  },

  /** Writes this region's replication probe row into a zone table; peers that see it know our writes reach them. */
  async writeReplicationProbe(zone: string, region: string, at: string): Promise<void> {
    const table = tableOf(zone);
    try {
      await client.send(
        new PutCommand({ TableName: table, Item: { id: REPLICATION_PROBE_ID, sk: region, kind: 'probe', at } }),
      );
    } catch (error) {
      throw storeError(table, 'PutItem(replication probe)', error);
    }
  },

  /**
   * Records that `record.lost`'s copy of the key lost, once; true the first time (and for an SDK
   * retry of that first write). Only the losing home writes its record, so the condition, which a
   * global table checks in the local replica only, never races another region's write.
   */
  async recordDuplicate(zone: string, id: string, record: DuplicateRecord): Promise<boolean> {
    const result = await conditionalWriter(client, tableOf(zone)).put('PutItem(duplicate)', {
      Item: { id, sk: LEDGER_ROW.duplicate(record.lost), kind: 'duplicate', ...record },
      ConditionExpression: 'attribute_not_exists(sk)',
    });
    return (
      result.ok ||
      (result.existing?.detectedAt === record.detectedAt && result.existing.detectedIn === record.detectedIn)
    );
  },

  /**
   * Records a dropped repeat once per EventBridge event; true for the first attempt that drops it
   * (and for an SDK retry of that attempt's write). A later attempt at the same event (EventBridge
   * retrying an invocation that failed or timed out after its drop) gets false: the drop is counted.
   */
  async recordDrop(zone: string, id: string, drop: DroppedRepeat): Promise<boolean> {
    const { eventId, kept, ...rest } = drop;
    const result = await conditionalWriter(client, tableOf(zone)).put('PutItem(dropped repeat)', {
      Item: {
        id,
        sk: LEDGER_ROW.dropped(eventId),
        kind: 'dropped',
        eventId: storedEventId(eventId),
        keptEventId: storedEventId(kept.eventId),
        keptHome: kept.home,
        ...rest,
      },
      ConditionExpression: 'attribute_not_exists(sk)',
    });
    return result.ok || result.existing?.token === drop.token;
  },
});

export type EventRows = ReturnType<typeof eventRows>;
