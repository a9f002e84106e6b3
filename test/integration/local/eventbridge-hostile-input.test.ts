import {
  CreateEventBusCommand,
  InvalidEventPatternException,
  ListEventBusesCommand,
  PutEventsCommand,
  PutRuleCommand,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../../local/eventbridge';
import { INSPECTABLE_DEPTH } from '../../../local/eventbridge/inspector';
import { failureOf, orderPlaced, startEventBridgeHarness, type EventBridgeHarness } from './eventbridge-harness';

const DEEP = 100_000;
const REGION = 'us-east-1';
const TOO_COMPLEX =
  'Event pattern is not valid. Reason: Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character';

/** `{"list": [[[ ... ]]]}`: 100,000 levels in about 200 KB, inside PutEvents' 256 KB. */
const deepDetail = `{"list":${'['.repeat(DEEP)}${']'.repeat(DEEP)}}`;

let harness: EventBridgeHarness;

beforeAll(async () => {
  harness = await startEventBridgeHarness();
});

afterAll(async () => {
  await harness?.stop();
});

/** Proves the endpoint still serves a normal call after whatever the test sent. */
const stillServes = async (): Promise<void> => {
  const buses = await harness.client(REGION).send(new ListEventBusesCommand({}));
  expect(buses.EventBuses?.some((bus) => bus.Name === 'default')).toBe(true);
};

/** Posts raw bytes to the AWS JSON 1.1 endpoint, signed just enough for the local endpoint to pick a region. */
const postRaw = (target: string, body: string): Promise<Response> =>
  fetch(harness.server.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSEvents.${target}`,
      authorization: `AWS4-HMAC-SHA256 Credential=AKIATEST/20260101/${REGION}/events/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body,
  });

describe('the local EventBridge under hostile input', () => {
  it(`accepts a ${DEEP.toLocaleString('en')}-level Detail within 256 KB, matches it against rules, and keeps serving`, async () => {
    const eb = harness.client(REGION);
    await eb.send(new CreateEventBusCommand({ Name: 'hostile' }));
    await eb.send(
      new PutRuleCommand({
        Name: 'deep',
        EventBusName: 'hostile',
        EventPattern: '{"detail":{"list":[{"exists":false}]}}',
      }),
    );
    const out = await eb.send(
      new PutEventsCommand({ Entries: [orderPlaced({ EventBusName: 'hostile', Detail: deepDetail })] }),
    );
    await harness.server.inspector.idle();

    expect(out.FailedEntryCount).toBe(0);
    expect(out.Entries?.[0]?.EventId).toBeDefined();
    expect(harness.server.inspector.listEvents({ bus: 'hostile' })[0]?.matchedRules).toEqual(['deep']);
    await stillServes();
  });

  it('lists a deep event through GET /inspect/events with its deepest levels marked', async () => {
    await harness
      .client(REGION)
      .send(new PutEventsCommand({ Entries: [orderPlaced({ EventBusName: 'hostile', Detail: deepDetail })] }));

    const response = await fetch(`${harness.control.endpoint}/inspect/events?bus=hostile`);
    const body = (await response.json()) as { events: RecordedEvent[] };

    expect(response.status).toBe(200);
    expect(body.events.length).toBeGreaterThan(0);
    expect(JSON.stringify(body.events[0]?.envelope.source)).toBe('"com.example.orders"');
    expect(JSON.stringify(body)).toContain('"[depth limit]"');
    expect(INSPECTABLE_DEPTH).toBeLessThan(DEEP);
    await stillServes();
  });

  it.each([
    ['JSON that stops half-way', '{"Entries": ['],
    ['a JSON array instead of an object', '[1, 2, 3]'],
    ['bytes that are not UTF-8 JSON at all', '\u0000\u0001garbage'],
    [`${DEEP.toLocaleString('en')} nested arrays`, `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`],
  ])('answers a request body of %s with SerializationException and keeps serving', async (_, body) => {
    const response = await postRaw('PutEvents', body);
    const answer = (await response.json()) as { __type: string };

    expect(response.status).toBe(400);
    expect(answer.__type).toBe('SerializationException');
    await stillServes();
  });

  it('answers PutEvents whose entries are 100,000 levels of objects one by one, and keeps serving', async () => {
    const body = `{"Entries":[{"Source":"a","DetailType":"b","Detail":"{}","Resources":${'['.repeat(DEEP)}${']'.repeat(DEEP)}}]}`;

    const response = await postRaw('PutEvents', body);

    expect(response.status).toBeLessThan(500);
    await stillServes();
  });
});

describe('wildcard patterns AWS calls too complex', () => {
  const complex = JSON.stringify({ detail: { key: [{ wildcard: '*a*a*a*a*a*' }] } });

  it('refuses them in PutRule with InvalidEventPatternException and AWS reason', async () => {
    const error = await failureOf(
      harness.client(REGION).send(new PutRuleCommand({ Name: 'too-complex', EventPattern: complex })),
    );

    expect(error).toBeInstanceOf(InvalidEventPatternException);
    expect((error as Error).message).toBe(TOO_COMPLEX);
  });

  it('refuses them in TestEventPattern too, and still accepts a simple wildcard', async () => {
    const event = JSON.stringify({
      id: '1',
      account: '000000000000',
      source: 's',
      time: '2026-01-01T00:00:00Z',
      region: REGION,
      'detail-type': 't',
      detail: { key: 'photo.png' },
    });
    const eb = harness.client(REGION);

    const refused = await failureOf(eb.send(new TestEventPatternCommand({ EventPattern: complex, Event: event })));
    const simple = await eb.send(
      new TestEventPatternCommand({ EventPattern: '{"detail":{"key":[{"wildcard":"*.png"}]}}', Event: event }),
    );

    expect(refused).toBeInstanceOf(InvalidEventPatternException);
    expect((refused as Error).message).toBe(TOO_COMPLEX);
    expect(simple.Result).toBe(true);
  });
});
