import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { JobState, JobSummary, PartProgress } from '../domain/jobs/job-model';
import { isConditionalCheckFailed, storeError } from './aws-errors';

/** Partition keys of job items in the control table: counts and states only, never a key or payload. */
export const CONTROL_JOB_KEYS = {
  summary: 'JOB',
  /** One item per (zone, home) part, written only by the runner that holds the part. */
  parts: (jobId: string): string => `JOBPART#${jobId}`,
  part: (zone: string, home: string): string => `${zone}#${home}`,
  /** Jobs runners still have to look at; a small partition, read by every sweeper pass. */
  active: 'JOBACTIVE',
  /** Who owned a (zone, home) at each epoch, since when, and what a successor held when it took over. */
  epochs: (zone: string, home: string): string => `EPOCH#${zone}#${home}`,
  epoch: (epoch: number): string => String(epoch).padStart(10, '0'),
} as const;

/** One ownership epoch of a (zone, home), as the owner's sweeper recorded it when it began. */
export interface EpochRecord {
  zone: string;
  home: string;
  epoch: number;
  holder: string;
  since: string;
  /**
   * A successor's view at takeover: per index shard of the home, the latest `receivedAt` it held
   * ('' when none). Timestamps only: no key leaves the zone.
   */
  watermarks?: Record<string, string>;
}

/** How long finished jobs stay listed. */
const JOB_DAYS = 90;
const expiresAt = (now: string): number => Math.floor(Date.parse(now) / 1000) + JOB_DAYS * 86_400;

/** Job summaries, part progress and the active list in the control table. */
export interface ControlJobs {
  putJob(summary: JobSummary): Promise<void>;
  getJob(jobId: string): Promise<JobSummary | undefined>;
  listJobs(limit: number): Promise<JobSummary[]>;
  /** Moves a job to `state` only from one of `from`; false when it was in another state. */
  setJobState(jobId: string, state: JobState, from: readonly JobState[], now: string): Promise<boolean>;
  putPart(jobId: string, part: PartProgress): Promise<void>;
  listParts(jobId: string): Promise<PartProgress[]>;
  markActive(jobId: string, now: string): Promise<void>;
  clearActive(jobId: string): Promise<void>;
  listActive(): Promise<string[]>;
  recordEpoch(record: EpochRecord): Promise<void>;
  getEpoch(zone: string, home: string, epoch: number): Promise<EpochRecord | undefined>;
  /** The latest epochs of a (zone, home), newest first. */
  listEpochs(zone: string, home: string, limit: number): Promise<EpochRecord[]>;
}

/** The job items of the control table (a global table: each item has one writer at a time). */
export const controlJobs = (client: DynamoDBDocumentClient, tableName: string): ControlJobs => {
  const queryAll = async (pk: string, operation: string, limit?: number, newestFirst = false) => {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    try {
      do {
        const out = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': pk },
            ScanIndexForward: !newestFirst,
            ConsistentRead: true,
            ExclusiveStartKey: start,
            ...(limit ? { Limit: limit - items.length } : {}),
          }),
        );
        items.push(...(out.Items ?? []));
        start = out.LastEvaluatedKey;
      } while (start && (!limit || items.length < limit));
    } catch (error) {
      throw storeError(tableName, operation, error);
    }
    return items;
  };
  const put = async (item: Record<string, unknown>, operation: string): Promise<void> => {
    try {
      await client.send(new PutCommand({ TableName: tableName, Item: item }));
    } catch (error) {
      throw storeError(tableName, operation, error);
    }
  };
  const strip = <T>(item: Record<string, unknown>): T => {
    const { pk: _pk, sk: _sk, expiresAt: _exp, ...rest } = item;
    return rest as T;
  };
  return {
    putJob: (summary) =>
      put(
        { pk: CONTROL_JOB_KEYS.summary, sk: summary.jobId, ...summary, expiresAt: expiresAt(summary.updatedAt) },
        'PutItem(job)',
      ),
    async getJob(jobId) {
      try {
        const out = await client.send(
          new GetCommand({
            TableName: tableName,
            Key: { pk: CONTROL_JOB_KEYS.summary, sk: jobId },
            ConsistentRead: true,
          }),
        );
        return out.Item ? strip<JobSummary>(out.Item) : undefined;
      } catch (error) {
        throw storeError(tableName, 'GetItem(job)', error);
      }
    },
    async listJobs(limit) {
      return (await queryAll(CONTROL_JOB_KEYS.summary, 'Query(jobs)', limit, true)).map((i) => strip<JobSummary>(i));
    },
    async setJobState(jobId, state, from, now) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: CONTROL_JOB_KEYS.summary, sk: jobId },
            UpdateExpression: 'SET #state = :state, updatedAt = :now',
            ConditionExpression: `#state IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: {
              ':state': state,
              ':now': now,
              ...Object.fromEntries(from.map((s, i) => [`:from${i}`, s])),
            },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return false;
        throw storeError(tableName, 'UpdateItem(job state)', error);
      }
    },
    putPart: (jobId, part) =>
      put(
        {
          pk: CONTROL_JOB_KEYS.parts(jobId),
          sk: CONTROL_JOB_KEYS.part(part.zone, part.home),
          ...part,
          expiresAt: expiresAt(part.updatedAt ?? new Date().toISOString()),
        },
        'PutItem(job part)',
      ),
    async listParts(jobId) {
      return (await queryAll(CONTROL_JOB_KEYS.parts(jobId), 'Query(job parts)')).map((i) => strip<PartProgress>(i));
    },
    markActive: (jobId, now) =>
      put({ pk: CONTROL_JOB_KEYS.active, sk: jobId, since: now, expiresAt: expiresAt(now) }, 'PutItem(active job)'),
    async clearActive(jobId) {
      try {
        await client.send(new DeleteCommand({ TableName: tableName, Key: { pk: CONTROL_JOB_KEYS.active, sk: jobId } }));
      } catch (error) {
        throw storeError(tableName, 'DeleteItem(active job)', error);
      }
    },
    async listActive() {
      return (await queryAll(CONTROL_JOB_KEYS.active, 'Query(active jobs)')).map((i) => String(i.sk));
    },
    recordEpoch: (record) =>
      put(
        {
          pk: CONTROL_JOB_KEYS.epochs(record.zone, record.home),
          sk: CONTROL_JOB_KEYS.epoch(record.epoch),
          ...record,
          expiresAt: expiresAt(record.since),
        },
        'PutItem(epoch)',
      ),
    async getEpoch(zone, home, epoch) {
      try {
        const out = await client.send(
          new GetCommand({
            TableName: tableName,
            Key: { pk: CONTROL_JOB_KEYS.epochs(zone, home), sk: CONTROL_JOB_KEYS.epoch(epoch) },
          }),
        );
        return out.Item ? strip<EpochRecord>(out.Item) : undefined;
      } catch (error) {
        throw storeError(tableName, 'GetItem(epoch)', error);
      }
    },
    async listEpochs(zone, home, limit) {
      return (await queryAll(CONTROL_JOB_KEYS.epochs(zone, home), 'Query(epochs)', limit, true)).map((i) =>
        strip<EpochRecord>(i),
      );
    },
  };
};
