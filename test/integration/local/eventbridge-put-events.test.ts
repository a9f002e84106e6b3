import {
  CreateEventBusCommand,
  InvalidEventPatternException,
  PutEventsCommand,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../../local/eventbridge';
import {
  ACCOUNT,
  busArn,
  failureOf,
  orderPlaced,
  startEventBridgeHarness,
  type EventBridgeHarness,
} from './eventbridge-harness';

let harness: EventBridgeHarness;

beforeAll(async () => {
  harness = await startEventBridgeHarness();
});

afterAll(async () => {
  await harness?.stop();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const recorded = (region: string, bus: string): RecordedEvent[] => harness.server.inspector.listEvents({ region, bus });

describe('PutEvents', () => {
  it('accepts valid entries with one UUID EventId each and records the AWS envelope in key order', async () => {
    const eb = harness.client('us-east-1');
    await eb.send(new CreateEventBusCommand({ Name: 'accepting' }));

    const out = await eb.send(
      new PutEventsCommand({
        Entries: [
          orderPlaced({
            EventBusName: 'accepting',
            Time: new Date('2026-01-01T00:00:00.750Z'),
            Resources: ['arn:aws:dynamodb:us-east-1:1:table/orders'],
          }),
          orderPlaced({ EventBusName: 'accepting', TraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793' }),
        ],
      }),
    );

    expect(out.FailedEntryCount).toBe(0);
    expect(out.Entries?.map((e) => Object.keys(e))).toEqual([['EventId'], ['EventId']]);
    expect(out.Entries?.every((e) => UUID.test(e.EventId ?? ''))).toBe(true);
    const [first, second] = recorded('us-east-1', 'accepting');
    expect(Object.keys(first?.envelope ?? {})).toEqual([
      'version',
      'id',
      'detail-type',
      'source',
      'account',
      'time',
      'region',
      'resources',
      'detail',
    ]);
    expect(first?.envelope).toEqual({
      version: '0',
      id: out.Entries?.[0]?.EventId,
      'detail-type': 'OrderPlaced',
      source: 'com.example.orders',
      account: ACCOUNT,
      time: '2026-01-01T00:00:00Z',
      region: 'us-east-1',
      resources: ['arn:aws:dynamodb:us-east-1:1:table/orders'],
      detail: { orderId: 'o-1', total: 42.5 },
    });
    expect(second?.envelope.resources).toEqual([]);
    expect(second?.envelope.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(Math.abs(Date.parse(second?.envelope.time ?? '') - Date.now())).toBeLessThan(60_000);
    expect(second?.traceHeader).toBe('Root=1-5759e988-bd862e3fe1be46a994272793');
  });

  it('puts on the default bus when no bus is named, and resolves a bus given by ARN', async () => {
    const eb = harness.client('eu-west-1');
    await eb.send(new CreateEventBusCommand({ Name: 'by-arn' }));
    const before = recorded('eu-west-1', 'default').length;

    await eb.send(
      new PutEventsCommand({ Entries: [orderPlaced(), orderPlaced({ EventBusName: busArn('eu-west-1', 'by-arn') })] }),
    );

    expect(recorded('eu-west-1', 'default')).toHaveLength(before + 1);
    expect(recorded('eu-west-1', 'by-arn')).toHaveLength(1);
  });

  it('answers success for a custom bus that does not exist but records nothing', async () => {
    const dropped = harness.server.inspector.droppedForMissingBus;

    const out = await harness
      .client('us-east-1')
      .send(new PutEventsCommand({ Entries: [orderPlaced({ EventBusName: 'no-such-bus' })] }));

    expect(out.FailedEntryCount).toBe(0);
    expect(out.Entries?.[0]?.EventId).toMatch(UUID);
    expect(recorded('us-east-1', 'no-such-bus')).toEqual([]);
    expect(harness.server.inspector.droppedForMissingBus).toBe(dropped + 1);
  });

  it('fails entries one by one with InvalidArgument or MalformedDetail in AWS check order, counting them', async () => {
    const out = await harness.client('us-east-1').send(
      new PutEventsCommand({
        Entries: [
          { DetailType: 'OrderPlaced' },
          orderPlaced({ DetailType: '' }),
          orderPlaced({ Detail: undefined }),
          orderPlaced({ Detail: '[]' }),
          orderPlaced({ Detail: '"NotJSON"' }),
          orderPlaced(),
          orderPlaced({ Detail: '{}' }),
        ],
      }),
    );

    expect(out.FailedEntryCount).toBe(5);
    expect(out.Entries?.slice(0, 5)).toEqual([
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.',
      },
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
      },
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.',
      },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
    ]);
    expect(out.Entries?.[5]?.EventId).toMatch(UUID);
    expect(out.Entries?.[6]?.EventId).toMatch(UUID);
  });

  it('rejects 11 entries as a whole with the AWS length constraint message', async () => {
    const entries = Array.from({ length: 11 }, () => orderPlaced());

    const error = await failureOf(harness.client('us-east-1').send(new PutEventsCommand({ Entries: entries })));

    expect(error).toMatchObject({ name: 'ValidationException' });
    const message = (error as Error).message;
    expect(message).toMatch(
      /^1 validation error detected: Value '\[PutEventsRequestEntry\(time=null, source=com\.example\.orders, resources=null, detailType=OrderPlaced/,
    );
    expect(message).toMatch(
      /kmsKeyIdentifier=null, internalMetadata=null\)\]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10$/,
    );
  });

  it('rejects a request whose entries total more than 256 KB and accepts one of exactly 256 KB', async () => {
    const eb = harness.client('us-east-1');
    const fixed =
      Buffer.byteLength('com.example.orders') + Buffer.byteLength('OrderPlaced') + Buffer.byteLength('{"p":""}');
    const detailOf = (total: number): string => JSON.stringify({ p: 'x'.repeat(total - fixed) });

    const atLimit = await eb.send(new PutEventsCommand({ Entries: [orderPlaced({ Detail: detailOf(262_144) })] }));
    const over = await failureOf(
      eb.send(
        new PutEventsCommand({
          Entries: [orderPlaced({ Detail: detailOf(131_072) }), orderPlaced({ Detail: detailOf(131_073) })],
        }),
      ),
    );

    expect(atLimit.FailedEntryCount).toBe(0);
    expect(over).toMatchObject({
      name: 'ValidationException',
      message: 'Total size of the entries in the request is over the limit.',
    });
  });

  it('counts Time as 14 bytes and Resources by their UTF-8 length toward the size limit', async () => {
    const eb = harness.client('us-east-1');
    const resource = 'é'.repeat(1000);
    const detail = JSON.stringify({ p: 'x'.repeat(262_144 - 14 - 2000 - 29 - 8) });

    const atLimit = await eb.send(
      new PutEventsCommand({ Entries: [orderPlaced({ Detail: detail, Time: new Date(), Resources: [resource] })] }),
    );
    const over = await failureOf(
      eb.send(
        new PutEventsCommand({
          Entries: [orderPlaced({ Detail: detail, Time: new Date(), Resources: [`${resource}a`] })],
        }),
      ),
    );

    expect(atLimit.FailedEntryCount).toBe(0);
    expect(over).toMatchObject({ name: 'ValidationException' });
  });

  it('accepts up to 1 MB when configured for the 2026 payload limit', async () => {
    const large = await startEventBridgeHarness({ maxEntryBytes: 1_048_576 });
    try {
      const out = await large
        .client('us-east-1')
        .send(new PutEventsCommand({ Entries: [orderPlaced({ Detail: JSON.stringify({ p: 'x'.repeat(900_000) }) })] }));

      expect(out.FailedEntryCount).toBe(0);
    } finally {
      await large.stop();
    }
  });
});

describe('TestEventPattern', () => {
  const event = JSON.stringify({
    id: 'e-1',
    account: ACCOUNT,
    source: 'com.example.orders',
    time: '2026-01-01T00:00:00Z',
    region: 'us-east-1',
    'detail-type': 'OrderPlaced',
    detail: { total: 42.5 },
  });

  it('reports whether the event matches the pattern', async () => {
    const eb = harness.client('us-east-1');

    const hit = await eb.send(
      new TestEventPatternCommand({
        EventPattern: JSON.stringify({ detail: { total: [{ numeric: ['>', 40] }] } }),
        Event: event,
      }),
    );
    const miss = await eb.send(
      new TestEventPatternCommand({ EventPattern: JSON.stringify({ source: ['other'] }), Event: event }),
    );

    expect(hit.Result).toBe(true);
    expect(miss.Result).toBe(false);
  });

  it('rejects an event that is not a JSON object with the envelope fields as ValidationException', async () => {
    const eb = harness.client('us-east-1');
    const pattern = JSON.stringify({ source: ['x'] });

    const errors = [
      await failureOf(eb.send(new TestEventPatternCommand({ EventPattern: pattern, Event: 'plain string' }))),
      await failureOf(eb.send(new TestEventPatternCommand({ EventPattern: pattern, Event: '[]' }))),
      await failureOf(
        eb.send(new TestEventPatternCommand({ EventPattern: pattern, Event: JSON.stringify({ source: 'x' }) })),
      ),
    ];

    for (const error of errors)
      expect(error).toMatchObject({ name: 'ValidationException', message: 'Parameter Event is not valid.' });
  });

  it('rejects an invalid pattern with InvalidEventPatternException', async () => {
    const error = await failureOf(
      harness.client('us-east-1').send(new TestEventPatternCommand({ EventPattern: '[1]', Event: event })),
    );

    expect(error).toBeInstanceOf(InvalidEventPatternException);
    expect((error as Error).message).toMatch(/^Event pattern is not valid\. Reason: /);
  });
});

describe('wire format', () => {
  const post = (target: string, body: unknown, authorization?: string): Promise<Response> =>
    fetch(harness.server.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': target,
        ...(authorization && { authorization }),
      },
      body: JSON.stringify(body),
    });
  const signedFor = (region: string): string =>
    `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/${region}/events/aws4_request, SignedHeaders=host, Signature=abc`;

  it('rejects an unsigned request with a 400 naming the missing SigV4 credential scope', async () => {
    const response = await post('AWSEvents.DescribeEventBus', {});
    const body = (await response.json()) as { __type: string; message: string };

    expect(response.status).toBe(400);
    expect(body.__type).toBe('MissingAuthenticationTokenException');
    expect(body.message).toContain('SigV4 credential scope');
    expect(response.headers.get('x-amzn-requestid')).toMatch(UUID);
  });

  it('answers with epoch-second timestamps, the JSON 1.1 content type and a request id', async () => {
    const response = await post('AWSEvents.DescribeEventBus', {}, signedFor('eu-west-1'));
    const body = (await response.json()) as { CreationTime: unknown; Arn: string };

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(response.headers.get('x-amzn-requestid')).toMatch(UUID);
    expect(typeof body.CreationTime).toBe('number');
    expect(Math.abs((body.CreationTime as number) - Date.now() / 1000)).toBeLessThan(600);
    expect(body.Arn).toBe(`arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/default`);
  });

  it('answers an error body of exactly __type and message', async () => {
    const response = await post('AWSEvents.DescribeEventBus', { Name: 'missing' }, signedFor('us-east-1'));

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      __type: 'ResourceNotFoundException',
      message: 'Event bus missing does not exist.',
    });
  });

  it('rejects PutEvents for a global endpoint (EndpointId) as unsupported', async () => {
    const response = await post(
      'AWSEvents.PutEvents',
      { Entries: [orderPlaced()], EndpointId: 'abcde.veo' },
      signedFor('us-east-1'),
    );
    const body = (await response.json()) as { __type: string; message: string };

    expect(response.status).toBe(400);
    expect(body).toMatchObject({ __type: 'ValidationException', message: expect.stringContaining('EndpointId') });
  });

  it('answers UnknownOperationException for an operation it does not serve', async () => {
    const response = await post('AWSEvents.StartReplay', {}, signedFor('us-east-1'));

    expect(response.status).toBe(400);
    expect(((await response.json()) as { __type: string }).__type).toBe('UnknownOperationException');
  });
});
