import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localOnly, oversizedPadding, skipSuite, type E2eTarget } from './support/e2e-target';
import { localHarness, openE2eTarget } from './support/open-target';
import { orderId } from './support/inbox-items';

const MAX_EVENT_BYTES = 65_536;
const EDGE_REASONS = ['missing-key', 'outside-residency', 'oversized', 'unknown-tenant'];

describe.skipIf(skipSuite('bad input at the edge', { regions: ['us-east-1'] }))('bad input at the edge', () => {
  let target: E2eTarget;
  const run = `q${Date.now().toString(36)}`;
  const good = orderId(`${run}-good`);
  const order = (detail: Record<string, unknown>, source = 'com.switchyard.orders') => ({
    Source: source,
    DetailType: 'OrderPlaced',
    Detail: JSON.stringify(detail),
  });

  beforeAll(async () => {
    target = await openE2eTarget({ maxEventBytes: MAX_EVENT_BYTES });
  }, 120_000);

  afterAll(async () => {
    await target?.stop();
  });

  it('quarantines each kind of bad input with its reason and still delivers the good event beside them', async () => {
    // Prepare
    const entries = [
      order({ total: 5 }),
      order({ orderId: `${run}-tenant`, tenant: 'payments' }),
      order({ orderId: `${run}-big`, padding: 'x'.repeat(oversizedPadding(target)) }),
      {
        Source: 'com.switchyard.eu.customers',
        DetailType: 'CustomerUpdated',
        Detail: JSON.stringify({ customerId: `${run}-eu` }),
      },
      order({ orderId: `${run}-good`, total: 5 }),
    ];
    const wouldBeStored = [orderId(`${run}-tenant`), orderId(`${run}-big`), good];
    // Act
    const results = await target.publish('us-east-1', entries);
    const badEventIds = results.slice(0, 4).map((r) => String(r.EventId));
    const quarantined = await target.waitFor('four quarantined events', async () => {
      const items = await target.quarantined('us-east-1', badEventIds);
      return items.length >= 4 ? items : undefined;
    });
    await target.waitFor('the good event to be delivered', async () =>
      (await target.deliveries([good])).some((d) => d.to === 'fulfilment#us-east-1'),
    );
    // Assess
    expect(quarantined.map((q) => q.reason).sort()).toEqual(EDGE_REASONS);
    for (const item of quarantined) expect(String(item.message).length).toBeGreaterThan(10);
    expect((await target.inbox('us-east-1', wouldBeStored)).map((i) => i.id)).toEqual([good]);
  }, 120_000);

  // Runs after the test above, on the same cloud: it counts its six quarantined events too.
  it.skipIf(
    localOnly(
      'the direct-invoke quarantine drill',
      "the local runtime's direct invoke and a cloud only this suite wrote to",
    ),
  )(
    'quarantines what only a direct invoke can send (a detail that is not an object, an undeclared source) and counts all six',
    async () => {
      // Prepare
      const harness = localHarness(target);
      // Act
      const notObject = await harness.rc.cloud.runtime.invoke('us-east-1', 'ingest', {
        version: '0',
        id: `${run}-direct`,
        'detail-type': 'OrderPlaced',
        source: 'com.switchyard.orders',
        account: '000000000000',
        time: '2026-11-27T00:00:00Z',
        region: 'us-east-1',
        resources: [],
        detail: ['not', 'an', 'object'],
      });
      const unknownSource = await harness.rc.cloud.runtime.invoke('us-east-1', 'ingest', {
        version: '0',
        id: `${run}-direct-source`,
        'detail-type': 'OrderPlaced',
        source: 'com.unknown.source',
        account: '000000000000',
        time: '2026-11-27T00:00:00Z',
        region: 'us-east-1',
        resources: [],
        detail: { orderId: `${run}-x` },
      });
      const quarantined = await harness.waitFor('six quarantined events', async () => {
        const items = await harness.scan('us-east-1', harness.tables.quarantine);
        return items.length >= 6 ? items : undefined;
      });
      // Assess
      expect(notObject).toMatchObject({ outcome: 'quarantined', reason: 'detail-not-object' });
      expect(unknownSource).toMatchObject({ outcome: 'quarantined', reason: 'unknown-source' });
      expect(quarantined.map((q) => q.reason).sort()).toEqual(
        ['detail-not-object', ...EDGE_REASONS, 'unknown-source'].sort(),
      );
      for (const item of quarantined) expect(String(item.message).length).toBeGreaterThan(10);
      const inbox = await harness.scan('us-east-1', harness.tables.zone('global', 'inbox'));
      expect(inbox.map((i) => i.id)).toEqual([good]);
      // Counters travel in each invocation's EMF log line, flushed after the write: wait for them.
      await harness.waitFor(
        'the Quarantined metric',
        () => (harness.rc.status()['us-east-1']?.Quarantined ?? 0) >= 6,
        10_000,
      );
      expect(harness.rc.status()['us-east-1']?.Quarantined).toBe(6);
    },
  );

  it('refuses a source no tenant is bound to at the ingress bus (its policy binds publishers to sources)', async () => {
    await expect(target.publish('us-east-1', [order({ orderId: `${run}-x` }, 'com.unknown.source')])).rejects.toThrow(
      /NotAuthorizedForSourceException/,
    );
  });

  it('never lets a non-object detail through the ingress bus (EventBridge answers MalformedDetail)', async () => {
    await expect(
      target.publish('us-east-1', [
        { Source: 'com.switchyard.orders', DetailType: 'OrderPlaced', Detail: '"just a string"' },
      ]),
    ).rejects.toThrow(/MalformedDetail/);
  });
});
