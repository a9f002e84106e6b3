import { describe, expect, it } from 'vitest';
import {
  CatalogValidationError,
  CatalogVersionNotFoundError,
  NoActiveCatalogError,
} from '../../../shared/domain/catalog';
import { StoreUnavailableError } from '../../../shared/domain/infrastructure-errors';
import { createCatalogProvider } from '../../../shared/services/catalog-provider';
import { createCountingMetrics } from '../../../shared/services/telemetry';
import { sampleCatalogDocument } from '../../helpers/factories';
import { createFakeCatalogStore } from '../../helpers/fakes';

const versionOf = (version: number) => ({ ...sampleCatalogDocument(), version });

/**
 * A provider over versions 1 and 2 (2 lagging when asked), with a quorum pointer at 1, this region's
 * own copy of it (at 1 too unless set), and a clock.
 */
const createProvider = ({ ttlMs = 5_000, lagging = [] as number[] } = {}) => {
  let clock = 1_000_000;
  let active: number | undefined = 1;
  let here: number | undefined | Error = 1;
  let pointerDown = false;
  const pointerReads: number[] = [];
  const hereReads: number[] = [];
  const metrics = createCountingMetrics();
  const store = createFakeCatalogStore({ 1: versionOf(1), 2: versionOf(2) }, lagging);
  const provider = createCatalogProvider({
    control: store.control,
    readActive: async () => {
      pointerReads.push(clock);
      if (pointerDown) throw new StoreUnavailableError('coord', 'quorum read', new Error('no majority'));
      return active;
    },
    readActiveHere: async () => {
      hereReads.push(clock);
      if (here instanceof Error) throw here;
      return here;
    },
    ttlMs,
    now: () => clock,
    metrics,
  });
  return {
    provider,
    store,
    pointerReads,
    hereReads,
    unanswered: () => metrics.counts.get('RoutesPointerUnanswered') ?? 0,
    setHere: (value: number | undefined | Error) => {
      here = value;
    },
    advance: (ms: number) => {
      clock += ms;
    },
    activate: (version: number | undefined) => {
      active = version;
    },
    partitionPointer: () => {
      pointerDown = true;
    },
    healPointer: () => {
      pointerDown = false;
    },
  };
};

describe('createCatalogProvider: the active pointer', () => {
  it('reads the active pointer once within the TTL', async () => {
    // Prepare
    const { provider, pointerReads, advance, activate } = createProvider();
    await provider.active();
    activate(2);
    advance(4_999);

    // Act
    const catalog = await provider.active();

    // Assess
    expect(catalog.version).toBe(1);
    expect(pointerReads).toHaveLength(1);
  });

  it('follows a moved active pointer once the TTL has passed', async () => {
    // Prepare
    const { provider, pointerReads, advance, activate } = createProvider();
    await provider.active();
    activate(2);
    advance(5_000);

    // Act
    const catalog = await provider.active();

    // Assess
    expect(catalog.version).toBe(2);
    expect(pointerReads).toHaveLength(2);
  });

  it('keeps serving the last known version while the quorum store cannot be read, and counts it', async () => {
    // Prepare
    const { provider, pointerReads, hereReads, unanswered, advance, partitionPointer, setHere } = createProvider();
    await provider.active();
    partitionPointer();
    setHere(2);
    advance(60_000);

    // Act
    const catalog = await provider.active();

    // Assess: the version this container last read from a majority, not this region's one vote
    expect(catalog.version).toBe(1);
    expect(pointerReads).toHaveLength(2);
    expect(hereReads).toEqual([]);
    expect(unanswered()).toBe(1);
  });

  it("starts on this region's copy of the pointer when the quorum store does not answer a cold start", async () => {
    // Prepare
    const { provider, pointerReads, hereReads, unanswered, partitionPointer, setHere } = createProvider();
    partitionPointer();
    setHere(2);

    // Act
    const catalogs = await Promise.all(Array.from({ length: 5 }, () => provider.active()));

    // Assess: one read here for the five callers, each counted as served without the quorum
    expect(catalogs.map((c) => c.version)).toEqual([2, 2, 2, 2, 2]);
    expect(pointerReads).toHaveLength(1);
    expect(hereReads).toHaveLength(1);
    expect(unanswered()).toBe(5);
  });

  it("asks the quorum again on the next call after starting on this region's copy, and follows its answer", async () => {
    // Prepare
    const { provider, pointerReads, hereReads, partitionPointer, healPointer, setHere } = createProvider();
    partitionPointer();
    setHere(2);
    await provider.active();
    healPointer();

    // Act
    const catalog = await provider.active();

    // Assess: the majority's version (1) wins over this region's vote (2) as soon as it answers
    expect(catalog.version).toBe(1);
    expect(pointerReads).toHaveLength(2);
    expect(hereReads).toHaveLength(1);
  });

  it('shares one pointer read among concurrent callers, and reads again once it has failed', async () => {
    // Prepare
    const { provider, pointerReads, hereReads, partitionPointer, setHere } = createProvider();
    partitionPointer();
    setHere(undefined);

    // Act
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => provider.active()));
    await provider.active().catch(() => undefined);

    // Assess
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(pointerReads).toHaveLength(2);
    expect(hereReads).toHaveLength(2);
  });

  it.each([
    ['holds no pointer', undefined],
    ['cannot be read either', new Error('this region is down too')],
  ])("fails with the quorum store's error when no pointer is known and this region's copy %s", async (_case, here) => {
    // Prepare
    const { provider, unanswered, partitionPointer, setHere } = createProvider();
    partitionPointer();
    setHere(here);

    // Act
    const active = provider.active();

    // Assess
    await expect(active).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(unanswered()).toBe(0);
  });

  it('fails with NoActiveCatalogError when no version is active, even with a pointer known before', async () => {
    // Prepare
    const { provider, advance, activate } = createProvider();
    await provider.active();
    activate(undefined);
    advance(5_000);

    // Act
    const active = provider.active();

    // Assess
    await expect(active).rejects.toBeInstanceOf(NoActiveCatalogError);
  });
});

describe('createCatalogProvider: versions', () => {
  it('compiles each version once and keeps it', async () => {
    // Prepare
    const { provider, store } = createProvider();

    // Act
    const [a, b] = await Promise.all([provider.version(2), provider.version(2)]);
    const c = await provider.version(2);

    // Assess
    expect(a).toBe(b);
    expect(c).toBe(a);
    expect(store.reads).toEqual([{ version: 2, consistent: false }]);
  });

  it('reads a version missing here again, strongly consistent, before it counts as missing', async () => {
    // Prepare: version 2 was just published in another region and has not replicated here
    const { provider, store } = createProvider({ lagging: [2] });

    // Act
    const catalog = await provider.version(2);

    // Assess
    expect(catalog.version).toBe(2);
    expect(store.reads).toEqual([
      { version: 2, consistent: false },
      { version: 2, consistent: true },
    ]);
  });

  it('fails for an unpublished version after both reads, and finds it once published', async () => {
    // Prepare
    const { provider, store } = createProvider();
    await expect(provider.version(3)).rejects.toBeInstanceOf(CatalogVersionNotFoundError);
    store.put(3, versionOf(3));

    // Act
    const found = await provider.version(3);

    // Assess
    expect(found.version).toBe(3);
    expect(store.reads.filter((r) => r.version === 3)).toEqual([
      { version: 3, consistent: false },
      { version: 3, consistent: true },
      { version: 3, consistent: false },
    ]);
  });

  it('does not keep a failed read: the next call reads the version again', async () => {
    // Prepare
    const { provider, store } = createProvider();
    store.failOn('getCatalogDocument', 1);
    await expect(provider.version(1)).rejects.toBeInstanceOf(StoreUnavailableError);

    // Act
    const catalog = await provider.version(1);

    // Assess
    expect(catalog.version).toBe(1);
  });

  it('rejects a stored document that does not validate', async () => {
    // Prepare
    const store = createFakeCatalogStore({ 4: { version: 4 } });
    const provider = createCatalogProvider({
      control: store.control,
      readActive: async () => 4,
      readActiveHere: async () => 4,
      ttlMs: 0,
      now: () => 0,
      metrics: createCountingMetrics(),
    });

    // Act
    const active = provider.active();

    // Assess
    await expect(active).rejects.toBeInstanceOf(CatalogValidationError);
  });
});
