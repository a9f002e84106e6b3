import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCredentials } from '../../local/aws/credentials';
import { skipSuite } from './support/e2e-target';
import { keyOf, RouterHarness } from '../../local/harness/router-harness';
import { LEDGER_ROW } from '../../shared/table-definitions';
import { inboxItem, orderId } from './support/inbox-items';
import { acceptInEachRegion } from './support/replication-window';

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

  it('counts each of the two repeats once when one key is ingested in all three regions inside the replication window, and loses none', async () => {
    // Prepare: replication is held until each region's ingest stored its own copy, so the three
    // copies cross as conflicting writes; last writer wins keeps one, and the two others lose.
    const key = `${run}-same-instant`;
    const id = orderId(key);
    const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
    const entry = {
      Source: 'com.switchyard.orders',
      DetailType: 'OrderPlaced',
      Detail: JSON.stringify({ orderId: key, total: 5 }),
    };
    const total = (metric: string): number => regions.reduce((n, r) => n + harness.rc.tally.get(r, metric), 0);
    const before = { detected: total('DuplicateDetected'), redelivered: total('Redelivered') };
    const rowsOf = async (region: string, kind: string) =>
      (await harness.scan(region, ledger())).filter((r) => r.id === id && r.kind === kind);
    // Act
    await acceptInEachRegion(harness, id, regions, () => Promise.all(regions.map((r) => harness.publish(r, [entry]))));
    await harness.waitFor('both repeats recorded', async () => (await rowsOf('us-east-1', 'duplicate')).length >= 2);
    await harness.waitFor('every event row of the key settled', async () =>
      (await rowsOf('us-east-1', 'event')).every((r) => r.sweepShard === undefined),
    );
    await harness.settle();
    // Assess: the kept copy's home is the one home that recorded nothing. A home may have lost to a
    // copy that then lost in turn (as on AWS, copies cross in any order): each record names the copy
    // that overwrote it.
    const kept = (await harness.get('us-east-1', harness.tables.zone('global', 'inbox'), { id }))?.home;
    for (const region of regions) {
      const records = await rowsOf(region, 'duplicate');
      expect(records.map((r) => r.lost).sort()).toEqual(regions.filter((r) => r !== kept).sort());
      for (const record of records) {
        expect(record).toMatchObject({ detectedIn: record.lost, sk: LEDGER_ROW.duplicate(String(record.lost)) });
        expect(regions.filter((r) => r !== record.lost)).toContain(record.lostTo);
        expect(record.homes).toEqual([String(record.lost), String(record.lostTo)].sort());
      }
    }
    // Two repeats, two counts: one by each losing home, none by the kept one, none twice.
    await harness.waitFor('the DuplicateDetected metric', () => total('DuplicateDetected') - before.detected >= 2);
    expect(total('DuplicateDetected') - before.detected).toBe(2);
    // Nothing lost: the key reached the target, and every owner's rows survived last-writer-wins
    // replication, the same in every region. Each send was made on a row now delivered, or went
    // again as a counted redelivery (its confirm was lost). A copy overwritten before its owner sent
    // it counts as delivered by the key's delivery already made: it is not sent again.
    const deliveries = harness.delivered(undefined, 'fulfilment').filter((e) => keyOf(e) === id);
    const rowsEverywhere = await Promise.all(
      regions.map(async (r) =>
        (await rowsOf(r, 'delivery')).map((row) => `${String(row.owner)}:${String(row.status)}`).sort(),
      ),
    );
    for (const rows of rowsEverywhere) expect(rows).toEqual(rowsEverywhere[0]);
    const delivered = (rowsEverywhere[0] ?? []).filter((row) => row.endsWith(':delivered')).length;
    expect(delivered).toBeGreaterThanOrEqual(1);
    expect(deliveries.length).toBeGreaterThanOrEqual(1);
    expect(deliveries.length).toBeLessThanOrEqual(delivered + total('Redelivered') - before.redelivered);
  }, 240_000);

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
