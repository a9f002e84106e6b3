import { describe, expect, it } from 'vitest';
import { resolveMessage } from '../../../shared/domain/redrive/resolve-message';

const envelope = {
  version: '0',
  id: 'eb-1',
  'detail-type': 'OrderPlaced',
  source: 'com.switchyard.orders',
  account: '000000000000',
  time: '2026-11-30T11:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail: { orderId: 'o-1' },
};

describe('failure-queue message resolution', () => {
  it('reads an ingest DLQ message as the original event, with the reason from its attributes', () => {
    // Act
    const resolved = resolveMessage(
      'ingest-dlq',
      JSON.stringify(envelope),
      { ERROR_CODE: 'Throttling', ERROR_MESSAGE: 'slow down' },
      'local',
    );
    // Assess
    expect(resolved).toMatchObject({
      kind: 'event',
      source: 'com.switchyard.orders',
      eventId: 'eb-1',
      region: 'us-east-1',
      reason: 'Throttling: slow down',
    });
  });

  it('reads an ingest on-failure record as the event in its request payload', () => {
    const record = {
      version: '1.0',
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: envelope,
      responsePayload: { errorType: 'Error', errorMessage: 'boom' },
    };
    expect(resolveMessage('ingest-failed', JSON.stringify(record), {}, 'local')).toMatchObject({
      kind: 'event',
      eventId: 'eb-1',
      reason: 'RetriesExhausted: Error: boom',
    });
  });

  it('reads a route on-failure record as a window of arrivals on one zone inbox stream', () => {
    // Prepare
    const record = {
      requestContext: { condition: 'RetryAttemptsExhausted' },
      DDBStreamBatchInfo: {
        shardId: 'shardId-1',
        streamArn: 'arn:aws:dynamodb:eu-west-1:000000000000:table/switchyard-local-transatlantic-inbox/stream/2026',
        approximateArrivalOfFirstRecord: '2026-11-30T11:00:00Z',
        approximateArrivalOfLastRecord: '2026-11-30T11:00:02Z',
        batchSize: 4,
      },
    };
    // Act
    const resolved = resolveMessage('route-failed', JSON.stringify(record), {}, 'local');
    // Assess
    expect(resolved).toMatchObject({
      kind: 'stream-batch',
      zone: 'transatlantic',
      region: 'eu-west-1',
      from: '2026-11-30T10:59:00.000Z',
      to: '2026-11-30T11:01:02.000Z',
      batchSize: 4,
    });
  });

  it('leaves anything else in the queue as unrecognised, with why', () => {
    expect(resolveMessage('ingest-dlq', 'not json', {}, 'local')).toMatchObject({ kind: 'unrecognised' });
    expect(
      resolveMessage(
        'route-failed',
        '{"DDBStreamBatchInfo":{"streamArn":"arn:aws:dynamodb:x:1:table/other/stream/1"}}',
        {},
        'local',
      ),
    ).toMatchObject({
      kind: 'unrecognised',
      reason: expect.stringContaining('not an inbox stream'),
    });
  });
});
