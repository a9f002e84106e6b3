import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { SAMPLE_CATALOG_PATH } from '../../local/cloud/deploy-router';
import { localCredentials } from '../../local/aws/credentials';
import { keyOf, RouterHarness } from '../../local/harness/router-harness';
import { encodeKey } from '../../shared/domain/ingest/key-encoding';
import { adminResult, invokeAdmin } from './support/admin';
import { skipSuite } from './support/e2e-target';
import { orderId } from './support/inbox-items';

const LOCAL_ADMIN = 'the admin function invoked on the local runtime and buses created on the local EventBridge';

// New targets on new buses: every route naming a target must declare the same projection, so the
// sample's full-detail targets cannot take a trimmed copy.
const SLIM = { target: 'orders-slim', bus: 'orders-slim', regions: ['us-east-1'] };
const MASKED = { target: 'payments-masked', bus: 'payments-masked', regions: ['us-east-1', 'eu-west-1'] };

/** The sample catalog as version 2, with one route that sends only some fields and one that redacts two. */
const catalogV2 = (): string => {
  const doc = parse(readFileSync(SAMPLE_CATALOG_PATH, 'utf8')) as Record<string, unknown> & {
    targets: Record<string, unknown>;
    routes: unknown[];
  };
  const busesOf = (t: typeof SLIM) => ({
    buses: Object.fromEntries(t.regions.map((r) => [r, t.bus])),
    failover: t.regions,
  });
  return stringify({
    ...doc,
    version: 2,
    targets: { ...doc.targets, [SLIM.target]: busesOf(SLIM), [MASKED.target]: busesOf(MASKED) },
    routes: [
      ...doc.routes,
      {
        name: 'orders-slim',
        tenant: 'orders',
        pattern: { source: ['com.switchyard.orders'] },
        targets: [SLIM.target],
        mode: 'pinned',
        regions: ['us-east-1'],
        fields: ['detail.orderId', 'detail.total', 'detail.customer.country', 'detail.absent'],
      },
      {
        name: 'payments-masked',
        tenant: 'payments',
        pattern: { source: ['com.switchyard.payments'] },
        targets: [MASKED.target],
        mode: 'fanout',
        redact: ['detail.card.number', 'detail.email'],
      },
    ],
  });
};

/** `sha256:` and the hex SHA-256 of a string's JSON (with its quotes), as README's redact promises. */
const digestOfString = (value: string): string =>
  `sha256:${createHash('sha256').update(JSON.stringify(value), 'utf8').digest('hex')}`;

describe.skipIf(skipSuite('minimum necessary payload', { localOnly: LOCAL_ADMIN }))('minimum necessary payload', () => {
  let harness: RouterHarness;
  const run = `mp${Date.now().toString(36)}`;

  beforeAll(async () => {
    harness = await RouterHarness.start();
    // The local cloud creates the catalog's buses at deploy only; a consumer creates its own bus first.
    for (const { bus, regions } of [SLIM, MASKED]) {
      for (const region of regions) {
        const client = new EventBridgeClient({
          region,
          endpoint: harness.rc.cloud.endpoints.eventBridge,
          credentials: localCredentials,
        });
        await client.send(new CreateEventBusCommand({ Name: bus }));
        client.destroy();
      }
    }
    const published = await invokeAdmin(harness, 'us-east-1', {
      action: 'routes.publish',
      yaml: catalogV2(),
      activate: true,
    });
    expect(adminResult(published)).toMatchObject({ version: 2, activated: true, previous: 1 });
    // Routers cache the active version for the stage's TTL; replication carries the document to every region.
    await harness.settle();
    await new Promise((resolve) =>
      setTimeout(resolve, harness.rc.router.config.limits.routesCacheTtlSeconds * 1000 + 500),
    );
  }, 120_000);

  afterAll(async () => {
    await harness?.stop();
  });

  it('delivers only the listed fields of a route with `fields`, nested as they were, and the full detail elsewhere', async () => {
    // Prepare
    const key = `${run}-o`;
    const detail = {
      orderId: key,
      total: 12,
      customer: { name: 'Ada Lovelace', email: 'ada@example.com', country: 'GB' },
      notes: 'ring twice',
    };
    // Act
    await harness.publish('us-east-1', [
      { Source: 'com.switchyard.orders', DetailType: 'OrderPlaced', Detail: JSON.stringify(detail) },
    ]);
    const [slim, full] = await harness.waitFor('both deliveries', () => {
      const mine = harness.delivered('us-east-1').filter((e) => keyOf(e) === orderId(key));
      const pair = [mine.find((e) => e.bus === SLIM.bus), mine.find((e) => e.bus === 'fulfilment')];
      return pair.every((e) => e !== undefined) ? pair : undefined;
    });
    const item = await harness.get('us-east-1', harness.tables.zone('global', 'inbox'), { id: orderId(key) });
    // Assess
    expect(item?.routesVersion).toBe(2);
    expect(slim?.envelope.detail).toEqual({ orderId: key, total: 12, customer: { country: 'GB' } });
    expect(JSON.stringify(slim?.envelope)).not.toContain('Ada');
    expect(full?.envelope.detail).toEqual(detail);
  });

  it('replaces each redacted value with its sha256 digest and keeps the rest of the detail', async () => {
    // Prepare
    const key = `${run}-p`;
    const card = '4111111111111111';
    const email = 'payer@example.com';
    const detail = { paymentId: key, amount: 99, card: { number: card, brand: 'visa' }, email };
    const id = encodeKey('com.switchyard.payments', [{ type: 's', value: key }]).id;
    // Act
    await harness.publish('eu-west-1', [
      { Source: 'com.switchyard.payments', DetailType: 'PaymentCaptured', Detail: JSON.stringify(detail) },
    ]);
    const masked = await harness.waitFor('the masked copy in both regions', () => {
      const copies = harness.delivered(undefined, MASKED.bus).filter((e) => keyOf(e) === id);
      return copies.length >= 2 ? copies : undefined;
    });
    // Assess
    expect(masked.map((e) => e.region).sort()).toEqual(['eu-west-1', 'us-east-1']);
    for (const copy of masked) {
      expect(copy.envelope.detail).toEqual({
        paymentId: key,
        amount: 99,
        card: { number: digestOfString(card), brand: 'visa' },
        email: digestOfString(email),
      });
      expect(JSON.stringify(copy.envelope)).not.toContain(card);
    }
    const ledgerSync = harness.delivered(undefined, 'ledger-sync').filter((e) => keyOf(e) === id);
    expect(ledgerSync.map((e) => e.envelope.detail)).toEqual([detail, detail]);
  });

  it('refuses a catalog that widens a zone beyond the stage, naming the path', async () => {
    // Prepare
    const widened = parse(catalogV2()) as Record<string, unknown>;
    const document = {
      ...widened,
      version: 3,
      zones: { ...(widened.zones as object), eu: ['eu-west-1', 'us-east-1'] },
    };
    // Act
    const refused = await invokeAdmin(harness, 'us-east-1', { action: 'routes.publish', document, activate: true });
    // Assess
    expect(refused).toMatchObject({ ok: false, error: { message: expect.stringContaining('zones.eu[1]') } });
    const active = adminResult<{ version: number }>(await invokeAdmin(harness, 'us-east-1', { action: 'routes.show' }));
    expect(active.version).toBe(2);
  });
});
