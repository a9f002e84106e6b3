import { zoneOfInboxStream } from '../../table-definitions';

/** The failure queues an operator can list and redrive. */
export type FailureQueue = 'ingest-dlq' | 'ingest-failed' | 'route-failed';

export const FAILURE_QUEUES: readonly FailureQueue[] = ['ingest-dlq', 'ingest-failed', 'route-failed'];

/** What a failure-queue message stands for, worked out from its body alone. */
export type Resolution =
  /** An event that never got through ingest: redriven by ingesting it again (dedupe applies). */
  | { kind: 'event'; event: Record<string, unknown>; source: string; eventId: string; region: string; reason: string }
  /** A stream batch route gave up on: its events are re-opened for the sweeper. */
  | {
      kind: 'stream-batch';
      streamArn: string;
      zone: string;
      region: string;
      shardId: string;
      from: string;
      to: string;
      batchSize: number;
      reason: string;
    }
  /** Nothing Switchyard can act on; it stays in the queue and is listed with this reason. */
  | { kind: 'unrecognised'; reason: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

const parse = (body: string): unknown => {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
};

/** An EventBridge envelope, as far as redrive needs: source, id and the region it was sent to. */
const eventOf = (value: unknown, reason: string): Resolution => {
  if (!isRecord(value) || !text(value.source) || !text(value.id))
    return { kind: 'unrecognised', reason: 'not an EventBridge event (no source or id)' };
  return {
    kind: 'event',
    event: value,
    source: String(value.source),
    eventId: String(value.id),
    region: text(value.region) ?? '?',
    reason,
  };
};

/** The region of an ARN (`arn:aws:<service>:<region>:…`). */
const regionOfArn = (arn: string): string => arn.split(':')[3] ?? '?';

/** How long before the first and after the last record of a batch its events may have been received. */
const ARRIVAL_SLACK_MS = 60_000;

const streamBatchOf = (body: Record<string, unknown>, stage: string, reason: string): Resolution => {
  const info = body.DDBStreamBatchInfo;
  if (!isRecord(info)) return { kind: 'unrecognised', reason: 'no DDBStreamBatchInfo' };
  const streamArn = text(info.streamArn) ?? '';
  const zone = zoneOfInboxStream(stage, streamArn);
  const first = Date.parse(text(info.approximateArrivalOfFirstRecord) ?? '');
  const last = Date.parse(text(info.approximateArrivalOfLastRecord) ?? '');
  if (!zone) return { kind: 'unrecognised', reason: `not an inbox stream of stage ${stage}: ${streamArn || '(none)'}` };
  if (Number.isNaN(first) || Number.isNaN(last)) return { kind: 'unrecognised', reason: 'no arrival times' };
  return {
    kind: 'stream-batch',
    streamArn,
    zone,
    region: regionOfArn(streamArn),
    shardId: text(info.shardId) ?? '?',
    from: new Date(first - ARRIVAL_SLACK_MS).toISOString(),
    to: new Date(last + ARRIVAL_SLACK_MS).toISOString(),
    batchSize: typeof info.batchSize === 'number' ? info.batchSize : 0,
    reason,
  };
};

/**
 * Works out what a failure-queue message is about: the ingest DLQ holds the original event (its
 * attributes say why), an ingest on-failure record carries it as `requestPayload`, and a route
 * on-failure record describes a stream batch by shard and approximate arrival times.
 */
export const resolveMessage = (
  queue: FailureQueue,
  body: string,
  attributes: Record<string, string>,
  stage: string,
): Resolution => {
  const value = parse(body);
  if (queue === 'ingest-dlq') {
    const reason = [attributes.ERROR_CODE, attributes.ERROR_MESSAGE].filter(Boolean).join(': ') || 'dead-lettered';
    return eventOf(value, reason);
  }
  if (!isRecord(value)) return { kind: 'unrecognised', reason: 'the body is not a JSON object' };
  const context = isRecord(value.requestContext) ? value.requestContext : {};
  const response = isRecord(value.responsePayload) ? value.responsePayload : {};
  const reason =
    [text(context.condition), text(response.errorType), text(response.errorMessage)].filter(Boolean).join(': ') ||
    'on-failure';
  if (queue === 'ingest-failed') return eventOf(value.requestPayload, reason);
  return streamBatchOf(value, stage, reason);
};
