import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCredentials } from '../../local/aws/credentials';
import { skipSuite } from './support/e2e-target';
import { keyOf, RouterHarness } from '../../local/harness/router-harness';
import { LEDGER_ROW } from '../../shared/table-definitions';
import { inboxItem, orderId } from './support/inbox-items';

// Every drill here bends the local cloud (replication lag, injected faults, an inspector listener,
// writes straight into the inbox), so the suite has no deployed-stage form.
const LOCAL_DRILLS = 'replication lag control, fault injection, the EventBridge inspector and direct inbox writes';

describe.skipIf(skipSuite('failure drills', { localOnly: LOCAL_DRILLS }))('failure drills on the local cloud', () => {
  let harness: RouterHarness;
  const run = `d${Date.now().toString(36)}`;
  const ledger = () => harness.tables.zone('global', 'ledger');

  beforeAll(async () => {
    harness = await RouterHarness.start();
  }, 120_000);

  afterAll(async () => {
    await harness?.stop();
  });

  it('keeps both regions’ deliveries on record when one key is ingested in two regions inside the replication window, and counts the duplicate once', async () => {
    // Prepare: widen the replication window so both regions accept the key before either sees the other.
    const key = `${run}-same-instant`;
    const id = orderId(key);
    harness.rc.router.replicator.setLag(1_500);
    const entry = {
      Source: 'com.switchyard.orders',
      DetailType: 'OrderPlaced',
      Detail: JSON.stringify({ orderId: key, total: 5 }),
    };
    // Act
    await Promise.all([harness.publish('us-east-1', [entry]), harness.publish('eu-west-1', [entry])]);
    await harness.waitFor(
      'the duplicate to be recorded',
      () => harness.get('us-east-1', ledger(), { id, sk: LEDGER_ROW.duplicate }),
      30_000,
    );
    harness.rc.router.replicator.setLag(50);
    await harness.settle();
    // Assess
    const deliveries = harness.delivered(undefined, 'fulfilment').filter((e) => keyOf(e) === id);
    expect(deliveries.map((e) => e.region).sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect((await harness.get('eu-west-1', ledger(), { id, sk: LEDGER_ROW.duplicate }))?.homes).toEqual([
      'eu-west-1',
      'us-east-1',
    ]);
    // Both owners' delivery rows survived last-writer-wins replication, in every region of the zone.
    for (const region of ['us-east-1', 'eu-west-1', 'ap-southeast-2']) {
      const rows = (await harness.scan(region, ledger())).filter((r) => r.id === id && r.kind === 'delivery');
      expect(rows.map((r) => `${String(r.owner)}:${String(r.status)}`).sort()).toEqual([
        'eu-west-1:delivered',
        'us-east-1:delivered',
      ]);
    }
    const detected = (): number =>
      ['us-east-1', 'eu-west-1'].reduce((n, r) => n + harness.rc.tally.get(r, 'DuplicateDetected'), 0);
    await harness.waitFor('the DuplicateDetected metric', () => detected() >= 1, 10_000);
    expect(detected()).toBe(1);
  }, 180_000);

  it('redelivers after a crash between PutEvents and confirm, and counts the redelivery', async () => {
    // Prepare: the moment the event reaches its bus, the ledger stops accepting updates for three calls (all SDK attempts of the confirm).
    const key = `${run}-crash`;
    const id = orderId(key);
    const unsubscribe = harness.rc.cloud.eventBridge.inspector.onEvent((event) => {
      if (event.bus !== 'fulfilment' || keyOf(event) !== id) return;
      unsubscribe();
      harness.rc.cloud.faults.set('dynamodb', 'us-east-1', {
        table: ledger(),
        operation: 'UpdateItem',
        down: '503',
        remaining: 3,
      });
    });
    // Act
    await harness.publish('us-east-1', [
      {
        Source: 'com.switchyard.orders',
        DetailType: 'OrderPlaced',
        Detail: JSON.stringify({ orderId: key, total: 5 }),
      },
    ]);
    const entry = await harness.waitFor(
      'the redelivery to be confirmed',
      async () => {
        const item = await harness.get('us-east-1', ledger(), {
          id,
          sk: LEDGER_ROW.delivery('fulfilment#local', 'us-east-1'),
        });
        return item?.status === 'delivered' ? item : undefined;
      },
      90_000,
    );
    // Assess
    const copies = harness.delivered('us-east-1', 'fulfilment').filter((e) => keyOf(e) === id);
    expect(copies.map((e) => e.envelope.resources.find((r) => r.startsWith('switchyard:attempt:')))).toEqual([
      'switchyard:attempt:1',
      'switchyard:attempt:2',
    ]);
    expect(entry.redeliveries).toBe(1);
    expect(entry.attempts).toBe(2);
    // The metric travels in the invocation's EMF log line, flushed after the ledger write: wait for it.
    await harness.waitFor(
      'the Redelivered metric',
      () => harness.rc.tally.get('us-east-1', 'Redelivered') >= 1,
      10_000,
    );
  }, 120_000);

  it('parks a poison event with its reason while the rest of its batch is delivered', async () => {
    // Prepare: a batch written straight into the inbox, as a buggy writer or a bad restore would, with two unroutable items.
    const good = Array.from({ length: 5 }, (_, i) => inboxItem(`${run}-good-${i}`));
    const poison = [
      inboxItem(`${run}-bad-json`, { detail: '{not json' }),
      inboxItem(`${run}-bad-version`, {
        routesVersion: 99,
        receivedAt: new Date(Date.now() - 3_600_000).toISOString(),
      }),
    ];
    const client = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        region: 'us-east-1',
        endpoint: harness.rc.cloud.endpoints.dynamodb,
        credentials: localCredentials,
      }),
    );
    // Act
    await client.send(
      new BatchWriteCommand({
        RequestItems: {
          [harness.tables.zone('global', 'inbox')]: [...good.slice(0, 3), ...poison, ...good.slice(3)].map((Item) => ({
            PutRequest: { Item },
          })),
        },
      }),
    );
    client.destroy();
    await harness.waitFor('the good events to be delivered', () =>
      good.every((g) => harness.delivered('us-east-1', 'fulfilment').some((e) => keyOf(e) === g.id)),
    );
    // Assess
    const parked = await Promise.all(
      poison.map((p) =>
        harness.waitFor(`${String(p.id)} parked`, () =>
          harness.get('us-east-1', ledger(), {
            id: String(p.id),
            sk: LEDGER_ROW.delivery('unroutable#-', 'us-east-1'),
          }),
        ),
      ),
    );
    expect(parked.map((p) => p.status)).toEqual(['parked', 'parked']);
    expect(String(parked[0]?.lastError)).toContain('SyntaxError');
    expect(String(parked[1]?.lastError)).toContain('version 99');
    expect(harness.rc.cloud.queues.list({ queueName: `switchyard-${harness.stage}-route-failed` })).toEqual([]);
  }, 180_000);
});
