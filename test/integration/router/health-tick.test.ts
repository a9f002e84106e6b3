import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionAccessKeyId } from '../../../local/aws/caller-region';
import { localCredentials } from '../../../local/aws/credentials';
import { createCoordTable } from '../../../shared/adapters/coord-table';
import { createQuorumStore } from '../../../shared/adapters/quorum-store';
import { DEFAULT_HEALTH_SETTINGS } from '../../../shared/domain/health';
import { FENCES_REGISTER, type HealthDeps } from '../../../shared/services/health/health-deps';
import { healthTick } from '../../../shared/services/health/health-tick';
import { createOwnershipView } from '../../../shared/services/ownership-view';
import type { Ownership } from '../../../shared/services/delivery/delivery-deps';
import { createCountingMetrics, createMemoryLog } from '../../../shared/services/telemetry';
import { startRouterHarness, type RouterHarness } from './router-harness';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const TIMING = { tickMs: 200, leaseMs: 2_000, marginMs: 300 };

let harness: RouterHarness;

beforeAll(async () => {
  harness = await startRouterHarness({ stage: 'ithealth', regions: REGIONS });
  deps = new Map(REGIONS.map((r) => [r, healthDeps(r)]));
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

/** A document client that signs as region `from`'s functions, so region partitions apply to its calls. */
const clientAs = (from: string, to: string) =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: to,
      endpoint: harness.cloud.endpoints.dynamodb,
      credentials: { ...localCredentials, accessKeyId: functionAccessKeyId(from) },
      maxAttempts: 1,
      requestHandler: { requestTimeout: 800, connectionTimeout: 800 },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );

/** The health function's dependencies in one region, every call signed as that region's functions. */
const healthDeps = (region: string): HealthDeps & { metrics: ReturnType<typeof createCountingMetrics> } => {
  const coordOf = (r: string) => createCoordTable({ client: clientAs(region, r), tableName: harness.tables.coord });
  const ledger = harness.adapters(region).ledger;
  const metrics = createCountingMetrics();
  return {
    region,
    regions: REGIONS,
    zones: new Map(Object.entries(harness.local.config.residencyZones)),
    quorum: createQuorumStore({
      clients: new Map(REGIONS.map((r) => [r, clientAs(region, r)])),
      tableName: harness.tables.coord,
      now: Date.now,
      settings: { durationMs: TIMING.leaseMs, marginMs: TIMING.marginMs },
      regionTimeoutMs: 800,
    }),
    coord: coordOf(region),
    peer: coordOf,
    probes: {
      dynamodb: () => coordOf(region).probe(new Date().toISOString()),
      ingressBus: async () => undefined,
      targetBuses: async () => ({}),
    },
    replication: {
      // No replicator in this harness: a probe row is written into every zone region's table, as replication would.
      write: async (zone, r, at) => {
        const regions = harness.local.config.residencyZones[zone] ?? [];
        await Promise.all(
          regions.map((target) => harness.adapters(target).ledger.events.writeReplicationProbe(zone, r, at)),
        );
      },
      read: (zone) => ledger.query.replicationProbes(zone),
    },
    recordOutage: async () => undefined,
    timing: {
      ...DEFAULT_HEALTH_SETTINGS,
      // Generous: a heartbeat's age and a probe's are one round of ticks, which a starved machine
      // stretches well past 200 ms. A dark or cut-off region is a miss because it cannot be read.
      heartbeatStaleMs: 5_000,
      catchUpMs: 5_000,
      ...TIMING,
    },
    now: Date.now,
    metrics,
    log: createMemoryLog(),
  };
};

let deps: Map<string, ReturnType<typeof healthDeps>>;
const down = new Set<string>();

/** One tick in every region that is up, then the tick's pause. */
const tickAll = async (): Promise<void> => {
  await Promise.all(REGIONS.filter((r) => !down.has(r)).map((r) => healthTick(deps.get(r) as HealthDeps)));
  await new Promise((resolve) => setTimeout(resolve, TIMING.tickMs));
};

const ownershipOf = (region: string) =>
  createOwnershipView({
    coord: createCoordTable({ client: harness.adapters(region).client, tableName: harness.tables.coord }),
    now: Date.now,
    cacheMs: 0,
  });

const tickUntil = async (what: string, check: () => Promise<boolean>, maxTicks = 60): Promise<number> => {
  for (let tick = 1; tick <= maxTicks; tick += 1) {
    await tickAll();
    if (await check()) return tick;
  }
  throw new Error(`${what}: not within ${maxTicks} ticks`);
};

describe('health ticks and leases (three regions, per-region coord tables)', () => {
  it('has every region take its own home in each of its zones at epoch 1', async () => {
    // Act: read the owners in the tick that saw them all, so a slow machine's lapse afterwards does not count.
    const seen: Array<Ownership | undefined> = [];
    await tickUntil('every region owns its homes', async () => {
      const all = await Promise.all(REGIONS.map(async (r) => (await ownershipOf(r).all()).filter((o) => o.home === r)));
      seen.splice(
        0,
        2,
        await ownershipOf('us-east-1').current('global', 'us-east-1'),
        await ownershipOf('eu-west-1').current('eu', 'eu-west-1'),
      );
      return all.every(
        (list, i) =>
          list.length ===
          Object.values(harness.local.config.residencyZones).filter((z) => z.includes(REGIONS[i] ?? '')).length,
      );
    });
    // Assess
    expect(seen[0]).toMatchObject({ epoch: 1 });
    expect(seen[1]).toMatchObject({ epoch: 1 });
    // Each region reports how old its peers' newest replication probes are, and how long its probes took.
    const timings = deps.get('us-east-1')?.metrics.timings;
    expect(timings?.get('ReplicationLagMs')?.length).toBeGreaterThan(0);
    expect(Math.max(...(timings?.get('ReplicationLagMs') ?? []))).toBeLessThan(60_000);
    expect(timings?.get('ProbeDynamoDbMs')?.length).toBeGreaterThan(0);
    expect(timings?.get('ProbeEventBridgeMs')?.length).toBeGreaterThan(0);
  });

  it('fails over a dead region’s homes to the next region of each zone, with the epoch bumped, after its lease expires', async () => {
    // Prepare: us-east-1 goes dark (its DynamoDB refuses, its functions stop ticking).
    down.add('us-east-1');
    harness.cloud.faults.set('dynamodb', 'us-east-1', { down: 'refuse' });
    // The leases us-east-1 last renewed, as the surviving majority holds them.
    const quorum = (deps.get('eu-west-1') as HealthDeps).quorum;
    const lastLeases = await Promise.all(
      ['global', 'transatlantic'].map((zone) => quorum.readLease(zone, 'us-east-1')),
    );
    // Act
    await tickUntil('eu-west-1 owns us-east-1 in global and transatlantic', async () =>
      Boolean(
        (await ownershipOf('eu-west-1').current('global', 'us-east-1')) &&
        (await ownershipOf('eu-west-1').current('transatlantic', 'us-east-1')),
      ),
    );
    // Assess
    const successors = await Promise.all(
      ['global', 'transatlantic'].map((zone) => ownershipOf('eu-west-1').current(zone, 'us-east-1')),
    );
    expect(successors[0]).toMatchObject({ epoch: 2 });
    expect(await ownershipOf('ap-southeast-2').current('global', 'us-east-1')).toBeUndefined();
    // Not before the lease us-east-1 last renewed, plus the skew margin, had run out. (Counted from that
    // renewal, not from the test's start: on a loaded machine the last renewal began well before it.)
    for (const [i, last] of lastLeases.entries()) {
      expect(last?.outcome).toBe('read');
      const expiresAt = last?.outcome === 'read' ? (last.lease?.expiresAt ?? Infinity) : Infinity;
      expect(Date.parse(successors[i]?.since ?? '')).toBeGreaterThanOrEqual(expiresAt + TIMING.marginMs);
    }
  }, 60_000);

  it('hands the homes back once the region is healthy and caught up, at a new epoch', async () => {
    // Prepare
    harness.cloud.faults.clear('dynamodb', 'us-east-1');
    down.delete('us-east-1');
    // Act
    await tickUntil('us-east-1 owns its global home again', async () =>
      Boolean(await ownershipOf('us-east-1').current('global', 'us-east-1')),
    );
    // Assess
    expect(await ownershipOf('us-east-1').current('global', 'us-east-1')).toMatchObject({ epoch: 3 });
    expect(await ownershipOf('eu-west-1').current('global', 'us-east-1')).toBeUndefined();
  }, 60_000);

  it('makes a partitioned owner stop routing before its lease ends, and never lets it claim with a stale epoch after takeover', async () => {
    // Prepare: ap-southeast-2 is cut off from both peers (its calls to them reset), yet keeps running.
    harness.cloud.partitions.set('ap-southeast-2', 'us-east-1');
    harness.cloud.partitions.set('ap-southeast-2', 'eu-west-1');
    const view = ownershipOf('ap-southeast-2');
    const before = await view.current('global', 'ap-southeast-2');
    // Act: tick until the partitioned region has dropped its own home and a peer holds it.
    await tickUntil('a peer owns ap-southeast-2', async () =>
      Boolean(
        (await ownershipOf('us-east-1').current('global', 'ap-southeast-2')) ??
        (await ownershipOf('eu-west-1').current('global', 'ap-southeast-2')),
      ),
    );
    const successor =
      (await ownershipOf('us-east-1').current('global', 'ap-southeast-2')) ??
      (await ownershipOf('eu-west-1').current('global', 'ap-southeast-2'));
    // Assess: the old owner holds nothing it could claim with, and the successor's epoch is newer.
    expect(before).toBeDefined();
    expect(await view.current('global', 'ap-southeast-2')).toBeUndefined();
    expect(successor?.epoch).toBeGreaterThan(before?.epoch ?? 0);
    harness.cloud.partitions.clearAll();
  }, 60_000);

  it('keeps a lease whose renewal went unanswered until it runs out, then forgets it, and takes its home back once the quorum answers', async () => {
    // Prepare: us-east-1 holds its global home; then it is cut off from both peers for its next ticks.
    await tickUntil('us-east-1 owns its global home', async () =>
      Boolean(await ownershipOf('us-east-1').current('global', 'us-east-1')),
    );
    const coord = createCoordTable({ client: harness.adapters('us-east-1').client, tableName: harness.tables.coord });
    const entryOf = async () => (await coord.readOwns()).find((o) => o.zone === 'global' && o.home === 'us-east-1');
    const before = await entryOf();
    harness.cloud.partitions.set('us-east-1', 'eu-west-1');
    harness.cloud.partitions.set('us-east-1', 'ap-southeast-2');
    const usEast = deps.get('us-east-1') as ReturnType<typeof healthDeps>;
    const lostBefore = usEast.metrics.counts.get('LeaseLost') ?? 0;
    // Act: one tick inside the lease (its clock held there), one after it ran out.
    const inside = await healthTick({ ...usEast, now: () => (before?.validUntil ?? 0) - 1 });
    const kept = await entryOf();
    await healthTick({ ...usEast, now: () => (before?.validUntil ?? 0) + 1 });
    const lapsed = await entryOf();
    harness.cloud.partitions.clearAll();
    await tickUntil('us-east-1 owns its global home again', async () =>
      Boolean(await ownershipOf('us-east-1').current('global', 'us-east-1')),
    );
    // Assess: unanswered is not refused; the entry stays as it was (the view stops routing at its end).
    expect(inside.leases.find((l) => l.zone === 'global' && l.home === 'us-east-1')).toMatchObject({
      action: 'renew',
      outcome: 'no-quorum',
    });
    expect(kept).toEqual(before);
    expect(usEast.metrics.counts.get('LeaseRenewUnanswered')).toBeGreaterThan(0);
    expect(usEast.metrics.counts.get('LeaseLost') ?? 0).toBe(lostBefore);
    expect(lapsed).toBeUndefined();
    expect((await entryOf())?.epoch).toBeGreaterThanOrEqual(before?.epoch ?? 1);
  }, 60_000);

  it('stops routing a fenced region’s own homes at once', async () => {
    // Prepare
    const quorum = deps.get('us-east-1')?.quorum;
    const read = await quorum?.readRegister(FENCES_REGISTER);
    expect(read?.outcome).toBe('read');
    const version = read?.outcome === 'read' ? (read.register?.version ?? 0) : 0;
    const written = await quorum?.writeRegister(FENCES_REGISTER, version + 1, {
      'eu-west-1': { mode: 'fence', at: new Date().toISOString(), by: 'test' },
    });
    expect(written?.outcome).toBe('written');
    // Act: a tick or two (one whose fence read a starved machine left unanswered does not count).
    await tickUntil(
      'eu-west-1 stops owning its eu home',
      async () => (await ownershipOf('eu-west-1').current('eu', 'eu-west-1')) === undefined,
      10,
    );
    // Assess
    expect(await ownershipOf('eu-west-1').current('eu', 'eu-west-1')).toBeUndefined();
  }, 60_000);
});
