import { describe, expect, it } from 'vitest';
import {
  CatalogValidationError,
  CatalogVersionNotFoundError,
  NoActiveCatalogError,
} from '../../../shared/domain/catalog';
import { createCatalogProvider } from '../../../shared/services/catalog-provider';
import { sampleCatalogDocument } from '../../helpers/factories';
import { createFakeControl } from '../../helpers/fakes';

const version2 = () => ({ ...sampleCatalogDocument(), version: 2 });

const createProvider = (ttlMs = 5_000) => {
  let clock = 1_000_000;
  const control = createFakeControl({ documents: { 1: sampleCatalogDocument(), 2: version2() }, active: 1 });
  const provider = createCatalogProvider({ control, ttlMs, now: () => clock });
  return {
    provider,
    control,
    advance: (ms: number) => {
      clock += ms;
    },
  };
};

describe('createCatalogProvider', () => {
  it('reads the active pointer once within the TTL', async () => {
    // Prepare
    const { provider, control, advance } = createProvider();
    await provider.active();
    control.setActive(2);
    advance(4_999);

    // Act
    const catalog = await provider.active();

    // Assess
    expect(catalog.version).toBe(1);
    expect(control.reads.activeVersion).toBe(1);
  });

  it('follows a moved active pointer once the TTL has passed', async () => {
    // Prepare
    const { provider, control, advance } = createProvider();
    await provider.active();
    control.setActive(2);
    advance(5_000);

    // Act
    const catalog = await provider.active();

    // Assess
    expect(catalog.version).toBe(2);
    expect(control.reads.activeVersion).toBe(2);
  });

  it('compiles each version once and keeps it', async () => {
    // Prepare
    const { provider, control } = createProvider();

    // Act
    const [a, b] = await Promise.all([provider.version(2), provider.version(2)]);
    const c = await provider.version(2);

    // Assess
    expect(a).toBe(b);
    expect(c).toBe(a);
    expect(control.reads.catalogDocument).toBe(1);
  });

  it('fails for an unpublished version, and finds it once published', async () => {
    // Prepare
    const { provider, control } = createProvider();
    const missing = provider.version(3);
    await expect(missing).rejects.toBeInstanceOf(CatalogVersionNotFoundError);
    await control.putCatalogVersion(3, { ...sampleCatalogDocument(), version: 3 }, 'ops', '2026-11-27T10:00:00Z');

    // Act
    const found = await provider.version(3);

    // Assess
    expect(found.version).toBe(3);
  });

  it('fails with NoActiveCatalogError when no version is active', async () => {
    const { provider, control } = createProvider();
    control.setActive(undefined);
    await expect(provider.active()).rejects.toBeInstanceOf(NoActiveCatalogError);
  });

  it('rejects a stored document that does not validate', async () => {
    const control = createFakeControl({ documents: { 4: { version: 4 } }, active: 4 });
    const provider = createCatalogProvider({ control, ttlMs: 0, now: () => 0 });
    await expect(provider.active()).rejects.toBeInstanceOf(CatalogValidationError);
  });
});
