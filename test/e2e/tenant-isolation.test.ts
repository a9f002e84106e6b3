import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyOf, RouterHarness } from '../../local/harness/router-harness';
import { stageNames } from '../../stages/lib/deployment-settings';
import { skipSuite } from './support/e2e-target';
import { orderId } from './support/inbox-items';

const LOCAL_PRINCIPALS = 'principals named by access key ids (local/aws/principals.ts) and the EventBridge inspector';

describe.skipIf(skipSuite('tenant isolation', { localOnly: LOCAL_PRINCIPALS }))('tenant isolation at the edge', () => {
  let harness: RouterHarness;
  const clients: EventBridgeClient[] = [];
  const run = `ti${Date.now().toString(36)}`;

  /** An SDK client acting as the principal an access key id names locally (`role-<name>` is that role). */
  const clientAs = (accessKeyId: string, region = 'us-east-1'): EventBridgeClient => {
    const client = new EventBridgeClient({
      region,
      endpoint: harness.rc.cloud.endpoints.eventBridge,
      credentials: { accessKeyId, secretAccessKey: 'x' },
    });
    clients.push(client);
    return client;
  };
  const toIngress = (entries: PutEventsRequestEntry[]) =>
    new PutEventsCommand({
      Entries: entries.map((e) => ({ ...e, EventBusName: stageNames(harness.stage).ingressBus })),
    });
  const order = (key: string, resources: string[] = []): PutEventsRequestEntry => ({
    Source: 'com.switchyard.orders',
    DetailType: 'OrderPlaced',
    Detail: JSON.stringify({ orderId: key, total: 7 }),
    Resources: resources,
  });
  const deliveredOf = (key: string) =>
    harness.delivered(undefined, 'fulfilment').filter((e) => keyOf(e) === orderId(key));

  beforeAll(async () => {
    harness = await RouterHarness.start();
  }, 120_000);

  afterAll(async () => {
    clients.forEach((c) => c.destroy());
    await harness?.stop();
  });

  it('refuses a payments entry from the orders publisher per entry, with the error AWS returns, and accepts its orders entry', async () => {
    // Prepare
    const payment: PutEventsRequestEntry = {
      Source: 'com.switchyard.payments',
      DetailType: 'PaymentCaptured',
      Detail: JSON.stringify({ paymentId: `${run}-p`, amount: 1 }),
    };
    // Act
    const result = await clientAs('role-orders-publisher').send(toIngress([order(`${run}-own`), payment]));
    await harness.waitFor('the accepted order delivered', () => deliveredOf(`${run}-own`).length > 0);
    await harness.settle();
    // Assess
    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries?.[0]?.EventId).toEqual(expect.any(String));
    expect(result.Entries?.[1]).toEqual({
      ErrorCode: 'NotAuthorizedForSourceException',
      ErrorMessage: 'Not authorized for the source.',
    });
    // Refused at the bus: the payment reached no bus, no function and no table.
    const payments = harness.rc.cloud.eventBridge.inspector.listEvents({ source: 'com.switchyard.payments' });
    expect(payments).toEqual([]);
    expect(await harness.scan('us-east-1', harness.tables.zone('transatlantic', 'inbox'))).toEqual([]);
  });

  it('refuses the whole call of a principal bound to no tenant with AccessDeniedException', async () => {
    // Act
    const error = await clientAs('role-stranger')
      .send(toIngress([order(`${run}-stranger`)]))
      .catch((e: unknown) => e);
    // Assess
    expect(error).toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining(
        'arn:aws:iam::000000000000:role/stranger is not authorized to perform: events:PutEvents',
      ),
    });
    const seen = harness.rc.cloud.eventBridge.inspector.listEvents({ source: 'com.switchyard.orders' });
    expect(seen.filter((e) => JSON.stringify(e.envelope.detail).includes(`${run}-stranger`))).toEqual([]);
  });

  it("strips a producer's forged switchyard: resources, so consumers see only Switchyard's own, and keeps the producer's others", async () => {
    // Prepare
    const key = `${run}-forged`;
    const producerResource = 'arn:aws:s3:::producer-bucket/receipt.pdf';
    const forged = [
      'switchyard:key:k1["com.switchyard.orders","s:someone-else"]',
      'switchyard:origin:ap-southeast-2',
      'switchyard:attempt:7',
    ];
    const stripped = harness.rc.tally.get('us-east-1', 'TraceResourcesStripped');
    // Act
    const [published] = await harness.publish('us-east-1', [order(key, [producerResource, ...forged])]);
    const [delivered] = await harness.waitFor('the order delivered', () => {
      const events = deliveredOf(key);
      return events.length > 0 ? events : undefined;
    });
    // Assess
    const ours = delivered?.envelope.resources.filter((r) => r.startsWith('switchyard:')) ?? [];
    expect(delivered?.envelope.resources.filter((r) => !r.startsWith('switchyard:'))).toEqual([producerResource]);
    expect(ours).toEqual([
      `switchyard:key:${orderId(key)}`,
      'switchyard:origin:us-east-1',
      `switchyard:event:${published?.EventId ?? '?'}`,
      'switchyard:attempt:1',
      expect.stringMatching(/^switchyard:epoch:us-east-1:\d+$/),
      'switchyard:hop:1',
    ]);
    await harness.waitFor(
      'the stripped resources counted',
      () => harness.rc.tally.get('us-east-1', 'TraceResourcesStripped') >= stripped + forged.length,
    );
  });

  it('quarantines an event that comes back through an ingress bus at the hop limit as a routing loop', async () => {
    // Prepare: three Switchyard deliveries already, as a consumer forwarding back into the ingress would show.
    const key = `${run}-loop`;
    // Act
    const [published] = await harness.publish('eu-west-1', [order(key, ['switchyard:hop:3'])]);
    const item = await harness.waitFor('the loop quarantined', async () =>
      (await harness.scan('eu-west-1', harness.tables.quarantine)).find((q) => q.eventId === published?.EventId),
    );
    await harness.settle();
    // Assess
    expect(item).toMatchObject({ reason: 'routing-loop', source: 'com.switchyard.orders' });
    expect(String(item.message)).toContain('hop limit 3');
    expect(deliveredOf(key)).toEqual([]);
    expect(
      await harness.get('eu-west-1', harness.tables.zone('global', 'inbox'), { id: orderId(key) }),
    ).toBeUndefined();
  });
});
