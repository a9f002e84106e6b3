import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/admin/handler';
import { SAMPLE_CATALOG_YAML, sampleCatalogDocument } from '../../helpers/factories';
import { startRouterHarness, type RouterHarness } from './router-harness';

const REGION = 'us-east-1';

let harness: RouterHarness;
let admin: ReturnType<typeof createHandler>;

beforeAll(async () => {
  harness = await startRouterHarness({ stage: 'itadmin', regions: [REGION] });
  admin = createHandler({ control: harness.adapters(REGION).control, now: () => new Date() });
});

afterAll(async () => {
  await harness?.stop();
});

/** The sample catalog as YAML under another version number, optionally changed. */
const sampleYaml = (
  version: number,
  change: (doc: ReturnType<typeof sampleCatalogDocument>) => void = () => undefined,
): string => {
  const document = { ...sampleCatalogDocument(), version };
  change(document);
  return stringify(document);
};

// The tests below share one control table and run in order: publish → activate → show.
describe('admin handler', () => {
  it('publishes the sample catalog from YAML and activates it, reporting no previous version', async () => {
    // Act
    const response = await admin({
      action: 'routes.publish',
      actor: 'alice',
      yaml: SAMPLE_CATALOG_YAML,
      activate: true,
    });

    // Assess
    expect(response).toEqual({
      ok: true,
      result: { version: 1, published: 'published', activated: true, previous: null },
    });
    expect(await harness.adapters(REGION).control.getActiveVersion()).toBe(1);
  });

  it('shows the active version with the document as published', async () => {
    // Act
    const response = await admin({ action: 'routes.show' });

    // Assess
    expect(response).toEqual({ ok: true, result: { version: 1, document: sampleCatalogDocument() } });
  });

  it('publishes a new version without moving the active pointer, then activates it naming the previous one', async () => {
    // Prepare
    const yaml = sampleYaml(2, (doc) => {
      doc.description = 'second version';
    });

    // Act
    const published = await admin({ action: 'routes.publish', actor: 'bob', yaml });
    const showActive = await admin({ action: 'routes.show', actor: 'bob' });
    const activated = await admin({ action: 'routes.activate', actor: 'bob', version: 2 });
    const showAfter = await admin({ action: 'routes.show' });

    // Assess
    expect(published).toEqual({ ok: true, result: { version: 2, published: 'published' } });
    expect(showActive).toMatchObject({ ok: true, result: { version: 1 } });
    expect(activated).toEqual({ ok: true, result: { version: 2, previous: 1 } });
    expect(showAfter).toMatchObject({ ok: true, result: { version: 2, document: { description: 'second version' } } });
  });

  it('rolls back by activating an older version, and shows any version asked for', async () => {
    // Act
    const rolledBack = await admin({ action: 'routes.activate', actor: 'carol', version: 1 });
    const showTwo = await admin({ action: 'routes.show', version: 2 });

    // Assess
    expect(rolledBack).toEqual({ ok: true, result: { version: 1, previous: 2 } });
    expect(showTwo).toMatchObject({ ok: true, result: { version: 2, document: { description: 'second version' } } });
  });

  it('answers a republish of the same content as unchanged and other content under a used version as a conflict', async () => {
    // Act
    const same = await admin({ action: 'routes.publish', actor: 'alice', yaml: SAMPLE_CATALOG_YAML });
    const changed = await admin({
      action: 'routes.publish',
      actor: 'mallory',
      yaml: sampleYaml(1, (doc) => void (doc.description = 'rewritten')),
    });

    // Assess
    expect(same).toEqual({ ok: true, result: { version: 1, published: 'unchanged' } });
    expect(changed).toMatchObject({
      ok: false,
      error: { code: 'CatalogVersionConflict', message: expect.stringContaining('version 1') },
    });
    expect(await admin({ action: 'routes.show', version: 1 })).toEqual({
      ok: true,
      result: { version: 1, document: sampleCatalogDocument() },
    });
  });

  it('publishes a catalog given as a JSON document instead of YAML', async () => {
    // Prepare
    const document = { ...sampleCatalogDocument(), version: 3 };

    // Act
    const response = await admin({ action: 'routes.publish', actor: 'dave', document });

    // Assess
    expect(response).toEqual({ ok: true, result: { version: 3, published: 'published' } });
    expect(await admin({ action: 'routes.show', version: 3 })).toEqual({ ok: true, result: { version: 3, document } });
  });

  it('rejects a publish that carries neither YAML nor a document as an invalid catalog', async () => {
    // Act
    const response = await admin({ action: 'routes.publish', actor: 'dave' });

    // Assess
    expect(response).toMatchObject({
      ok: false,
      error: { code: 'CatalogValidation', issues: [{ path: '', message: expect.stringContaining('expected object') }] },
    });
  });

  it('refuses to activate a version that was never published', async () => {
    // Act
    const response = await admin({ action: 'routes.activate', actor: 'alice', version: 99 });

    // Assess
    expect(response).toMatchObject({ ok: false, error: { code: 'CatalogVersionNotFound' } });
    expect(await harness.adapters(REGION).control.getActiveVersion()).toBe(1);
  });

  it('rejects an invalid catalog with every issue located by its path, and stores nothing', async () => {
    // Prepare
    const yaml = sampleYaml(50, (doc) => {
      doc.routes = doc.routes.map((route, i) =>
        i === 0 ? { ...route, targets: ['nowhere'] } : i === 2 ? { ...route, tenant: 'orders' } : route,
      );
    });

    // Act
    const response = await admin({ action: 'routes.publish', actor: 'alice', yaml, activate: true });

    // Assess
    expect(response.ok).toBe(false);
    if (response.ok) return;
    expect(response.error.code).toBe('CatalogValidation');
    expect(response.error.issues).toEqual(
      expect.arrayContaining([
        { path: 'routes[0].targets[0]', message: 'unknown target nowhere' },
        { path: 'routes[2].pattern.source[0]', message: expect.stringContaining('belongs to tenant payments') },
      ]),
    );
    expect(await admin({ action: 'routes.show', version: 50 })).toEqual({
      ok: true,
      result: { version: 50, document: null },
    });
  });

  it('rejects a catalog whose fields have the wrong shape, naming each field', async () => {
    // Prepare
    const yaml = sampleYaml(51, (doc) => {
      (doc as { version: unknown }).version = 'fifty-one';
      doc.zones.eu = ['europe'];
    });

    // Act
    const response = await admin({ action: 'routes.publish', actor: 'alice', yaml });

    // Assess
    expect(response).toMatchObject({ ok: false, error: { code: 'CatalogValidation' } });
    const paths = response.ok ? [] : (response.error.issues as Array<{ path: string }>).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['version', 'zones.eu[0]']));
  });

  it.each([
    { name: 'an unknown action', request: { action: 'routes.delete', actor: 'alice', version: 1 } },
    {
      name: 'a version that is not a positive integer',
      request: { action: 'routes.activate', actor: 'alice', version: -1 },
    },
    { name: 'a publish without an actor', request: { action: 'routes.publish', yaml: SAMPLE_CATALOG_YAML } },
    { name: 'an unexpected field', request: { action: 'routes.show', actor: 'alice', force: true } },
    { name: 'a request that is not an object', request: 'routes.show' },
  ])('answers $name with InvalidRequest and changes nothing', async ({ request }) => {
    // Act
    const response = await admin(request);

    // Assess
    expect(response).toMatchObject({
      ok: false,
      error: { code: 'InvalidRequest', message: expect.stringContaining('admin request is not valid') },
    });
    expect(await harness.adapters(REGION).control.getActiveVersion()).toBe(1);
  });

  it('has audited every publish and activation with its actor', async () => {
    // Prepare
    const day = new Date().toISOString().slice(0, 10);

    // Act
    const audit = await harness.adapters(REGION).client.send(
      new QueryCommand({
        TableName: harness.tables.control,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `AUDIT#${day}` },
      }),
    );

    // Assess
    const actions = (audit.Items ?? []).map((a) => `${a.action as string}:${a.actor as string}`).sort();
    expect(actions).toEqual([
      'routes.activate:alice',
      'routes.activate:bob',
      'routes.activate:carol',
      'routes.publish:alice',
      'routes.publish:bob',
      'routes.publish:dave',
    ]);
  });
});
