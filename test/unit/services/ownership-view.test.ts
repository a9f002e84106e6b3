import { describe, expect, it } from 'vitest';
import type { OwnsEntry } from '../../../shared/adapters/coord-table';
import { StoreUnavailableError } from '../../../shared/domain/infrastructure-errors';
import { createOwnershipView } from '../../../shared/services/ownership-view';

const SINCE = '2026-11-27T10:00:00.000Z';

/** This region's `owns` items in an in-memory coord table, with a clock and a count of reads. */
const createFixture = (entries: OwnsEntry[], cacheMs = 1_000) => {
  let now = 100_000;
  let stored = entries;
  let reads = 0;
  let failing = false;
  const view = createOwnershipView({
    coord: {
      readOwns: async () => {
        reads += 1;
        if (failing) throw new StoreUnavailableError('coord', 'Query', new Error('throttled'));
        return stored.map((e) => ({ ...e }));
      },
    },
    now: () => now,
    cacheMs,
  });
  return {
    view,
    reads: () => reads,
    advance: (ms: number) => {
      now += ms;
    },
    write: (next: OwnsEntry[]) => {
      stored = next;
    },
    fail: () => {
      failing = true;
    },
  };
};

const owns = (zone: string, home: string, epoch: number, validUntil: number): OwnsEntry => ({
  zone,
  home,
  epoch,
  since: SINCE,
  validUntil,
});

describe('createOwnershipView', () => {
  it('reports the ownership of a (zone, home) this region holds validly', async () => {
    // Prepare
    const { view } = createFixture([owns('global', 'us-east-1', 3, 105_000), owns('eu', 'eu-west-1', 1, 105_000)]);

    // Act
    const current = await view.current('global', 'us-east-1');

    // Assess
    expect(current).toEqual({ zone: 'global', home: 'us-east-1', epoch: 3, since: SINCE, validUntil: 105_000 });
  });

  it('reports nothing for a (zone, home) it holds no lease on', async () => {
    const { view } = createFixture([owns('global', 'us-east-1', 3, 105_000)]);
    expect(await view.current('transatlantic', 'us-east-1')).toBeUndefined();
    expect(await view.current('global', 'eu-west-1')).toBeUndefined();
  });

  it('stops reporting an ownership the moment its validity ends, even from a warm cache', async () => {
    // Prepare
    const { view, advance, reads } = createFixture([owns('global', 'us-east-1', 3, 100_500)], 60_000);
    expect(await view.current('global', 'us-east-1')).toBeDefined();

    // Act
    advance(500);
    const atValidUntil = await view.current('global', 'us-east-1');

    // Assess
    expect(atValidUntil).toBeUndefined();
    expect(reads()).toBe(1);
  });

  it('lists only the ownerships that are valid now', async () => {
    // Prepare
    const { view } = createFixture([
      owns('global', 'us-east-1', 3, 105_000),
      owns('global', 'eu-west-1', 7, 99_999),
      owns('transatlantic', 'us-east-1', 2, 100_001),
    ]);

    // Act
    const all = await view.all();

    // Assess
    expect(all).toEqual([
      { zone: 'global', home: 'us-east-1', epoch: 3, since: SINCE, validUntil: 105_000 },
      { zone: 'transatlantic', home: 'us-east-1', epoch: 2, since: SINCE, validUntil: 100_001 },
    ]);
  });

  it('reads the coord table once per cache period', async () => {
    // Prepare
    const fixture = createFixture([owns('global', 'us-east-1', 3, 200_000)], 1_000);
    await fixture.view.current('global', 'us-east-1');
    fixture.write([owns('global', 'us-east-1', 4, 200_000)]);

    // Act
    fixture.advance(999);
    const cached = await fixture.view.current('global', 'us-east-1');
    fixture.advance(1);
    const fresh = await fixture.view.current('global', 'us-east-1');

    // Assess
    expect(cached?.epoch).toBe(3);
    expect(fresh?.epoch).toBe(4);
    expect(fixture.reads()).toBe(2);
  });

  it('fails, and so claims nothing, when its own coord table cannot be read', async () => {
    const { view, fail } = createFixture([owns('global', 'us-east-1', 3, 200_000)]);
    fail();
    await expect(view.current('global', 'us-east-1')).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
