import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyOf, RouterHarness } from './support/router-harness';

const MAX_EVENT_BYTES = 65_536;

describe('bad input at the edge', () => {
  let harness: RouterHarness;
  const run = `q${Date.now().toString(36)}`;
  const order = (detail: Record<string, unknown>, source = 'com.switchyard.orders') => ({ Source: source, DetailType: 'OrderPlaced', Detail: JSON.stringify(detail) });

  beforeAll(async () => {
    harness = await RouterHarness.start({ maxEventBytes: MAX_EVENT_BYTES });
  }, 120_000);

  afterAll(async () => {
    await harness?.stop();
  });

  it('quarantines each kind of bad input with its reason and still delivers the good event beside them', async () => {
    // Prepare
    const entries = [
      order({ total: 5 }),
      order({ orderId: `${run}-x` }, 'com.unknown.source'),
      order({ orderId: `${run}-tenant`, tenant: 'payments' }),
      order({ orderId: `${run}-big`, padding: 'x'.repeat(MAX_EVENT_BYTES) }),
      { Source: 'com.switchyard.eu.customers', DetailType: 'CustomerUpdated', Detail: JSON.stringify({ customerId: `${run}-eu` }) },
      order({ orderId: `${run}-good`, total: 5 }),
    ];
    // Act
    await harness.publish('us-east-1', entries);
    const notObject = await harness.rc.cloud.runtime.invoke('us-east-1', 'ingest', {
      version: '0', id: `${run}-direct`, 'detail-type': 'OrderPlaced', source: 'com.switchyard.orders', account: '000000000000',
      time: '2026-11-27T00:00:00Z', region: 'us-east-1', resources: [], detail: ['not', 'an', 'object'],
    });
    const quarantined = await harness.waitFor('six quarantined events', async () => {
      const items = await harness.scan('us-east-1', 'quarantine');
      return items.length >= 6 ? items : undefined;
    });
    // Assess
    expect(notObject).toMatchObject({ outcome: 'quarantined', reason: 'detail-not-object' });
    expect(quarantined.map((q) => q.reason).sort()).toEqual(['detail-not-object', 'missing-key', 'outside-residency', 'oversized', 'unknown-source', 'unknown-tenant']);
    for (const item of quarantined) expect(String(item.message).length).toBeGreaterThan(10);
    const good = `com.switchyard.orders#${run}-good`;
    await harness.waitFor('the good event to be delivered', () => harness.delivered('us-east-1', 'fulfilment').some((e) => keyOf(e) === good));
    const inbox = await harness.scan('us-east-1', 'inbox');
    expect(inbox.map((i) => i.id)).toEqual([good]);
    expect(harness.rc.status()['us-east-1']?.Quarantined).toBe(6);
  }, 60_000);

  it('never lets a non-object detail through the ingress bus (EventBridge answers MalformedDetail)', async () => {
    await expect(harness.publish('us-east-1', [{ Source: 'com.switchyard.orders', DetailType: 'OrderPlaced', Detail: '"just a string"' }])).rejects.toThrow(/MalformedDetail/);
  });
});
