import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Breakdown, ClassCounts, JobCounts } from '../../domain/jobs/job-model';
import { LEDGER_JOB } from '../../table-definitions';
import { isConditionalCheckFailed, storeError } from '../aws-errors';

/** An event a part comes back to later: a claim was live, a send waits, or the store was busy. */
export interface RetryEntry {
  id: string;
  /** The deliveries (`to`) still to settle. */
  tos: string[];
  due: string;
  tries: number;
}

/** Where one part of a job stands in its zone: its cursor, its counts and who works it now. */
export interface PartCursor {
  jobId: string;
  zone: string;
  home: string;
  phase: 'scan' | 'retry' | 'done' | 'failed';
  /** The index shard being read (or the position in a list of event ids). */
  shard: number;
  /** The position after the last event worked on in that shard (opaque). */
  after?: string;
  retry: RetryEntry[];
  counts: JobCounts;
  breakdown: Breakdown;
  classes?: ClassCounts;
  /** Skipped and failed deliveries by reason. */
  reasons?: Record<string, number>;
  owner?: string;
  epoch?: number;
  errors: number;
  lastError?: string;
  startedAt?: string;
  updatedAt?: string;
}

/** How long job items stay in the ledger after their last write, at most: never longer than the zone keeps events. */
export const JOB_ITEM_DAYS = 30;
/** The TTL of a job item of a zone written at `now` (epoch seconds). */
export type JobItemExpiry = (zone: string, now: string) => number;
export const jobItemExpiry =
  (zoneDays: (zone: string) => number = () => JOB_ITEM_DAYS): JobItemExpiry =>
  (zone, now) =>
    Math.floor(Date.parse(now) / 1000) + Math.min(JOB_ITEM_DAYS, zoneDays(zone)) * 86_400;

/*
 * A part is worked by one runner at a time. The lock is taken when it is
 *   absent ............. nobody worked on the part yet
 *   expired ............ its runner crashed or its invocation ended (heldUntil passed)
 *   ours ............... the same runner, next slice
 * and every save is conditional on still holding it, so a runner that lost it cannot move the cursor.
 */
const lockIsFree = 'attribute_not_exists(#holder) OR #heldUntil < :now OR #holder = :me';
const lockIsOurs = '#holder = :me';

/** Job cursors (with their locks) and selections by event id, in a zone's ledger. */
export const jobRows = (
  client: DynamoDBDocumentClient,
  tableOf: (zone: string) => string,
  expiresAt: JobItemExpiry,
) => ({
  /** Takes (or renews) the lock on a part; returns its cursor, fresh on first use, or undefined while another runner holds it. */
  async acquirePart(
    zone: string,
    jobId: string,
    home: string,
    lock: { holder: string; now: string; until: string },
    fresh: () => Omit<PartCursor, 'jobId' | 'zone' | 'home'>,
  ): Promise<PartCursor | undefined> {
    const table = tableOf(zone);
    const initial = fresh();
    // Every name aliased: several (zone, shard, counts...) are, or may become, DynamoDB reserved words.
    const always = {
      holder: lock.holder,
      heldUntil: lock.until,
      kind: 'job-part',
      jobId,
      zone,
      home,
      expiresAt: expiresAt(zone, lock.now),
    };
    const once = {
      phase: initial.phase,
      shard: 0,
      retry: [],
      counts: initial.counts,
      breakdown: initial.breakdown,
      errors: 0,
      ...(initial.classes ? { classes: initial.classes } : {}),
    };
    const names = Object.fromEntries([...Object.keys(always), ...Object.keys(once)].map((k) => [`#${k}`, k]));
    const values = Object.fromEntries(
      [...Object.entries(always), ...Object.entries(once)].map(([k, v]) => [`:${k}`, v as unknown]),
    );
    try {
      const out = await client.send(
        new UpdateCommand({
          TableName: table,
          Key: { id: LEDGER_JOB.partition(jobId), sk: LEDGER_JOB.part(home) },
          UpdateExpression: `SET ${[
            ...Object.keys(always).map((k) => `#${k} = :${k}`),
            ...Object.keys(once).map((k) => `#${k} = if_not_exists(#${k}, :${k})`),
          ].join(', ')}`,
          ConditionExpression: lockIsFree,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ...values, ':me': lock.holder, ':now': lock.now },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes as PartCursor;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw storeError(table, 'UpdateItem(acquire job part)', error);
    }
  },

  /** Saves a part's cursor while holding its lock (`release` lets the next runner in at once); false when the lock was lost. */
  async savePart(cursor: PartCursor, lock: { holder: string; now: string; until: string }): Promise<boolean> {
    const table = tableOf(cursor.zone);
    try {
      await client.send(
        new PutCommand({
          TableName: table,
          Item: {
            ...cursor,
            id: LEDGER_JOB.partition(cursor.jobId),
            sk: LEDGER_JOB.part(cursor.home),
            kind: 'job-part',
            holder: lock.holder,
            heldUntil: lock.until,
            updatedAt: lock.now,
            expiresAt: expiresAt(cursor.zone, lock.now),
          },
          ConditionExpression: lockIsOurs,
          ExpressionAttributeNames: { '#holder': 'holder' },
          ExpressionAttributeValues: { ':me': lock.holder },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw storeError(table, 'PutItem(save job part)', error);
    }
  },

  /** Reads a part's cursor without taking its lock (status, reports). */
  async readPart(zone: string, jobId: string, home: string): Promise<PartCursor | undefined> {
    const table = tableOf(zone);
    try {
      const out = await client.send(
        new GetCommand({ TableName: table, Key: { id: LEDGER_JOB.partition(jobId), sk: LEDGER_JOB.part(home) } }),
      );
      return out.Item as PartCursor | undefined;
    } catch (error) {
      throw storeError(table, 'GetItem(job part)', error);
    }
  },

  /** Keeps the event ids a job selects in the zone (the control store never sees them). */
  async putSelection(zone: string, jobId: string, eventIds: readonly string[], now: string): Promise<void> {
    const table = tableOf(zone);
    try {
      await client.send(
        new PutCommand({
          TableName: table,
          Item: {
            id: LEDGER_JOB.partition(jobId),
            sk: LEDGER_JOB.selection,
            kind: 'job-selection',
            eventIds,
            expiresAt: expiresAt(zone, now),
          },
        }),
      );
    } catch (error) {
      throw storeError(table, 'PutItem(job selection)', error);
    }
  },

  /** The event ids a job selects in this zone, or undefined when it was started without ids here. */
  async getSelection(zone: string, jobId: string): Promise<string[] | undefined> {
    const table = tableOf(zone);
    try {
      const out = await client.send(
        new GetCommand({
          TableName: table,
          Key: { id: LEDGER_JOB.partition(jobId), sk: LEDGER_JOB.selection },
          ConsistentRead: true,
        }),
      );
      return (out.Item?.eventIds as string[] | undefined) ?? undefined;
    } catch (error) {
      throw storeError(table, 'GetItem(job selection)', error);
    }
  },
});

export type JobRows = ReturnType<typeof jobRows>;
