import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { QuorumStore } from '../../../shared/adapters/quorum-store';
import { QuorumRequestRejectedError } from '../../../shared/domain/ownership';
import { COORD_TABLE, pollUntil, REGIONS, startQuorumHarness, type QuorumHarness } from './quorum-harness';

const [US, EU, AP] = REGIONS;
const ZONE = 'global';

let harness: QuorumHarness;
let store: QuorumStore;

beforeAll(async () => {
  harness = await startQuorumHarness();
  store = harness.store();
});

afterAll(async () => {
  await harness?.stop();
});

afterEach(() => {
  harness.cloud.faults.clear();
});

/** A home no other test touches, so each test starts from an empty lease. */
const freshHome = (): string => `home-${randomUUID().slice(0, 8)}`;

const regionsDown = (...regions: string[]) => {
  for (const region of regions) harness.cloud.faults.set('dynamodb', region, { down: 'refuse' });
};

describe('quorum store leases', () => {
  it('lets exactly one of two simultaneous contenders acquire, and tells the other who holds it', async () => {
    // Prepare
    const home = freshHome();

    // Act
    const results = await Promise.all([store.acquire(ZONE, home, US), store.acquire(ZONE, home, EU)]);

    // Assess
    const won = results.filter((r) => r.outcome === 'acquired');
    const lost = results.filter((r) => r.outcome !== 'acquired');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const winner = won[0]?.outcome === 'acquired' ? won[0].lease : undefined;
    expect(lost[0]).toMatchObject({ outcome: 'held', by: winner?.holder, epoch: 1 });
    const read = await store.readLease(ZONE, home);
    expect(read).toMatchObject({ outcome: 'read', lease: winner, settled: true });
  });

  it('fails an acquire whose write reached only a minority, and lets a later one succeed once that write expired', async () => {
    // Prepare: the writes to two of three regions are lost; reads still answer.
    const home = freshHome();
    for (const region of [EU, AP])
      harness.cloud.faults.set('dynamodb', region, { down: '503', table: COORD_TABLE, operation: 'PutItem' });

    // Act
    const failed = await store.acquire(ZONE, home, US);
    harness.cloud.faults.clear();
    const blocked = await store.acquire(ZONE, home, EU);
    const later = await pollUntil(
      () => store.acquire(ZONE, home, EU),
      (r) => r.outcome === 'acquired',
    );

    // Assess
    expect(failed).toMatchObject({ outcome: 'no-quorum', answered: 1 });
    // The minority's entry still blocks a successor until it is expired by the margin.
    expect(blocked).toMatchObject({ outcome: 'held', by: US, epoch: 1 });
    expect(later).toMatchObject({ outcome: 'acquired', lease: { holder: EU, epoch: 2 } });
    if (blocked.outcome === 'held') expect(Date.now()).toBeGreaterThanOrEqual(blocked.until);
  });

  it('lets a successor take over an expired lease with the next epoch, not before expiry plus the margin', async () => {
    // Prepare
    const home = freshHome();
    const first = await store.acquire(ZONE, home, US);
    if (first.outcome !== 'acquired') throw new Error(`setup: ${first.outcome}`);

    // Act
    const attempts: string[] = [];
    const takeover = await pollUntil(
      async () => {
        const result = await store.acquire(ZONE, home, EU);
        attempts.push(result.outcome);
        return { result, at: Date.now() };
      },
      ({ result }) => result.outcome === 'acquired',
    );

    // Assess
    expect(attempts[0]).toBe('held');
    expect(takeover.result).toMatchObject({ outcome: 'acquired', lease: { holder: EU, epoch: first.lease.epoch + 1 } });
    expect(takeover.at).toBeGreaterThanOrEqual(first.lease.expiresAt + 300);
  });

  it('refuses a renew by the stale holder after a takeover, showing the successor’s lease', async () => {
    // Prepare
    const home = freshHome();
    const first = await store.acquire(ZONE, home, US);
    if (first.outcome !== 'acquired') throw new Error(`setup: ${first.outcome}`);
    const successor = await pollUntil(
      () => store.acquire(ZONE, home, AP),
      (r) => r.outcome === 'acquired',
    );

    // Act
    const stale = await store.renew(ZONE, home, US, first.lease.epoch);

    // Assess
    expect(stale.outcome).toBe('lost');
    if (successor.outcome === 'acquired' && stale.outcome === 'lost') expect(stale.current).toEqual(successor.lease);
  });

  it('renews the holder’s lease from the renew’s start, keeping its epoch', async () => {
    // Prepare
    const home = freshHome();
    const first = await store.acquire(ZONE, home, US);
    if (first.outcome !== 'acquired') throw new Error(`setup: ${first.outcome}`);

    // Act
    const startedAt = Date.now();
    const renewed = await store.renew(ZONE, home, US, first.lease.epoch);

    // Assess
    expect(renewed).toMatchObject({ outcome: 'renewed', lease: { holder: US, epoch: first.lease.epoch } });
    if (renewed.outcome === 'renewed') {
      expect(renewed.lease.expiresAt).toBeGreaterThanOrEqual(startedAt + 2_000);
      expect(renewed.validUntil).toBe(renewed.lease.expiresAt - 300);
    }
  });

  it('refuses a renew that would shorten a later one (a delayed request), showing the later lease', async () => {
    // Prepare: the "delayed" renew is one whose clock read 1 s earlier.
    const home = freshHome();
    const first = await store.acquire(ZONE, home, US);
    if (first.outcome !== 'acquired') throw new Error(`setup: ${first.outcome}`);
    // Its clock reads 1 s before the later renew began, however long that renew took.
    const laterStartedAt = Date.now();
    const later = await store.renew(ZONE, home, US, first.lease.epoch);
    const delayed = harness.store({ now: () => laterStartedAt - 1_000 });

    // Act
    const stale = await delayed.renew(ZONE, home, US, first.lease.epoch);

    // Assess
    expect(later.outcome).toBe('renewed');
    expect(stale.outcome).toBe('lost');
    if (later.outcome === 'renewed' && stale.outcome === 'lost') expect(stale.current).toEqual(later.lease);
  });

  it('heals a region that missed the acquire when the holder renews', async () => {
    // Prepare: the acquire's write to ap-southeast-2 is lost.
    const home = freshHome();
    harness.cloud.faults.set('dynamodb', AP, { down: '503', table: COORD_TABLE, operation: 'PutItem' });
    const first = await store.acquire(ZONE, home, US);
    harness.cloud.faults.clear();

    // Act
    const renewed = await store.renew(ZONE, home, US, first.outcome === 'acquired' ? first.lease.epoch : -1);
    const read = await store.readLease(ZONE, home);

    // Assess
    expect(first.outcome).toBe('acquired');
    expect(first.answers.write?.find((reply) => reply.region === AP)).toMatchObject({ answer: 'none' });
    expect(renewed.answers.write?.map((reply) => reply.answer)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(read.answers.read?.find((reply) => reply.region === AP)).toMatchObject({ value: { holder: US } });
  });

  it('acquires and renews with one region of three down, and says which region did not answer', async () => {
    // Prepare
    const home = freshHome();
    regionsDown(AP);

    // Act
    const acquired = await store.acquire(ZONE, home, US);
    const renewed =
      acquired.outcome === 'acquired' ? await store.renew(ZONE, home, US, acquired.lease.epoch) : undefined;

    // Assess
    expect(acquired.outcome).toBe('acquired');
    expect(renewed?.outcome).toBe('renewed');
    expect(renewed?.answers.write?.find((reply) => reply.region === AP)).toMatchObject({ answer: 'none' });
    expect(renewed?.answers.write?.filter((reply) => reply.answer === 'accepted')).toHaveLength(2);
  });

  it('has no quorum with two regions of three down, so the holder cannot renew and its validity runs out', async () => {
    // Prepare
    const home = freshHome();
    const held = await store.acquire(ZONE, home, US);
    if (held.outcome !== 'acquired') throw new Error(`setup: ${held.outcome}`);
    regionsDown(EU, AP);

    // Act
    const renew = await store.renew(ZONE, home, US, held.lease.epoch);
    const contender = await store.acquire(ZONE, home, EU);
    const read = await store.readLease(ZONE, home);

    // Assess
    expect(renew).toMatchObject({ outcome: 'no-quorum', answered: 1 });
    expect(contender).toMatchObject({ outcome: 'no-quorum', answered: 1 });
    expect(read).toMatchObject({ outcome: 'no-quorum', answered: 1 });
    // Nothing extended the lease: the holder stops acting at the validUntil it already had.
    await pollUntil(
      async () => Date.now(),
      (now) => now >= held.validUntil,
    );
    expect((await store.renew(ZONE, home, US, held.lease.epoch)).outcome).toBe('no-quorum');
  });

  it('counts a region slower than the per-region timeout as no answer, without waiting for it', async () => {
    // Prepare
    const home = freshHome();
    // A timeout a starved machine's healthy regions still answer inside, and a lease that outlasts
    // two rounds cut at it (the slow region is waited for until the timeout, in each round).
    const impatient = harness.store({ regionTimeoutMs: 1_500, settings: { durationMs: 20_000, marginMs: 300 } });
    harness.cloud.faults.set('dynamodb', AP, { slowMs: 10_000 });

    // Act
    const started = Date.now();
    const acquired = await impatient.acquire(ZONE, home, US);
    const took = Date.now() - started;

    // Assess
    expect(acquired.outcome).toBe('acquired');
    expect(acquired.answers.read?.find((reply) => reply.region === AP)).toEqual({
      region: AP,
      answer: 'none',
      errorCode: 'RegionTimeout',
    });
    // Two rounds (read, write), each cut at its timeout: less than one wait for the slow region.
    expect(took).toBeLessThan(9_000);
  });

  it('throws a domain error when every region rejects the request itself (no such table)', async () => {
    await expect(harness.store({ tableName: 'no-such-coord' }).readLease(ZONE, freshHome())).rejects.toBeInstanceOf(
      QuorumRequestRejectedError,
    );
  });
});
