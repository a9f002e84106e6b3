import { describe, expect, it } from 'vitest';
import { runAdminAction } from '../../../shared/services/admin-actions';
import { SAMPLE_CATALOG_YAML, sampleCatalogDocument } from '../../helpers/factories';
import { createFakeControl } from '../../helpers/fakes';

const NOW = new Date('2026-11-27T10:00:00.000Z');

const createAdmin = (seed: Parameters<typeof createFakeControl>[0] = {}) => {
  const control = createFakeControl(seed);
  return { control, deps: { control, now: () => NOW } };
};

describe('runAdminAction: routes.publish', () => {
  it("publishes a catalog from YAML and audits it under the caller's name", async () => {
    // Prepare
    const { control, deps } = createAdmin();

    // Act
    const response = await runAdminAction(
      { action: 'routes.publish', actor: 'ops@example.com', yaml: SAMPLE_CATALOG_YAML },
      deps,
    );

    // Assess
    expect(response).toEqual({ ok: true, result: { version: 1, published: 'published' } });
    expect(await control.getCatalogDocument(1)).toEqual(sampleCatalogDocument());
    expect(control.audit()).toEqual([
      expect.objectContaining({ action: 'routes.publish', actor: 'ops@example.com', at: NOW.toISOString() }),
    ]);
  });

  it('reports publishing identical content again as unchanged', async () => {
    const { deps } = createAdmin({ documents: { 1: sampleCatalogDocument() } });
    const response = await runAdminAction(
      { action: 'routes.publish', actor: 'ops', document: sampleCatalogDocument() },
      deps,
    );
    expect(response).toEqual({ ok: true, result: { version: 1, published: 'unchanged' } });
  });

  it('refuses to change the content of a published version', async () => {
    // Prepare
    const { deps } = createAdmin({ documents: { 1: sampleCatalogDocument() } });
    const changed = { ...sampleCatalogDocument(), description: 'edited' };

    // Act
    const response = await runAdminAction({ action: 'routes.publish', actor: 'ops', document: changed }, deps);

    // Assess
    expect(response).toMatchObject({ ok: false, error: { code: 'CatalogVersionConflict' } });
  });

  it('publishes and activates in one request, naming the version it replaced', async () => {
    // Prepare
    const { control, deps } = createAdmin();
    await runAdminAction({ action: 'routes.publish', actor: 'ops', yaml: SAMPLE_CATALOG_YAML, activate: true }, deps);

    // Act
    const response = await runAdminAction(
      { action: 'routes.publish', actor: 'ops', document: { ...sampleCatalogDocument(), version: 2 }, activate: true },
      deps,
    );

    // Assess
    expect(response).toEqual({
      ok: true,
      result: { version: 2, published: 'published', activated: true, previous: 1 },
    });
    expect(await control.getActiveVersion()).toBe(2);
  });

  it('returns the path of every catalog mistake instead of publishing', async () => {
    // Prepare
    const { control, deps } = createAdmin();
    const broken = sampleCatalogDocument();
    broken.routes[0] = { ...broken.routes[0], targets: ['nowhere'] } as (typeof broken.routes)[number];

    // Act
    const response = await runAdminAction({ action: 'routes.publish', actor: 'ops', document: broken }, deps);

    // Assess
    expect(response).toMatchObject({
      ok: false,
      error: {
        code: 'CatalogValidation',
        issues: [{ path: 'routes[0].targets[0]', message: 'unknown target nowhere' }],
      },
    });
    expect(await control.getCatalogDocument(1)).toBeUndefined();
  });

  it('returns YAML syntax errors with their line', async () => {
    const { deps } = createAdmin();
    const response = await runAdminAction(
      { action: 'routes.publish', actor: 'ops', yaml: 'version: 1\nversion: 2\n' },
      deps,
    );
    expect(response).toMatchObject({ ok: false, error: { code: 'CatalogValidation', issues: [{ path: 'line 2' }] } });
  });
});

describe('runAdminAction: other actions', () => {
  it('refuses to activate a version that was never published', async () => {
    const { deps } = createAdmin();
    const response = await runAdminAction({ action: 'routes.activate', actor: 'ops', version: 7 }, deps);
    expect(response).toMatchObject({ ok: false, error: { code: 'CatalogVersionNotFound' } });
  });

  it("shows the active version's document", async () => {
    const { deps } = createAdmin({ documents: { 1: sampleCatalogDocument() }, active: 1 });
    const response = await runAdminAction({ action: 'routes.show' }, deps);
    expect(response).toEqual({ ok: true, result: { version: 1, document: sampleCatalogDocument() } });
  });

  it('shows nothing when no version is active', async () => {
    const { deps } = createAdmin();
    expect(await runAdminAction({ action: 'routes.show' }, deps)).toEqual({
      ok: true,
      result: { version: null, document: null },
    });
  });

  it('rejects a request it does not understand, saying why', async () => {
    // Act
    const response = await runAdminAction({ action: 'routes.delete', actor: 'ops' }, createAdmin().deps);

    // Assess
    expect(response).toMatchObject({
      ok: false,
      error: { code: 'InvalidRequest', message: expect.stringContaining('admin request is not valid') },
    });
  });

  it('rejects a publish without an actor', async () => {
    const response = await runAdminAction({ action: 'routes.publish', yaml: SAMPLE_CATALOG_YAML }, createAdmin().deps);
    expect(response).toMatchObject({
      ok: false,
      error: { code: 'InvalidRequest', message: expect.stringContaining('actor') },
    });
  });
});
