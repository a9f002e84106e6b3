import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localOnly, skipSuite, type Delivery, type E2eTarget } from './support/e2e-target';
import { localHarness, openE2eTarget } from './support/open-target';
import { keyOf, REGIONS } from '../../local/harness/router-harness';
import {
  buildWorkload,
  inboxId,
  otherAllowedRegion,
  percentile,
  seededRandom,
  toEntry,
  zoneOf,
  type WorkloadEvent,
} from '../../local/harness/workload';
import { diagnoseEvent, diagnoseLocal } from './support/diagnose-local';
import { functionDiagnostics } from './support/function-diagnostics';

const EVENT_COUNT = 1000;
const REPEAT_SHARE = 0.1;
const PUBLISH_INTERVAL_MS = 1_000;
const WRITE_OPERATIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
/**
 * Targets the sample catalog delivers `local` (routes/sample.yaml): one delivery to the home region's
 * bus, moved to another region of the zone when that bus is unusable (its breaker open, or the region
 * judged unhealthy: beside a CPU hog, PutEvents timeouts open breakers). The oracle names the home.
 */
const LOCAL_TARGETS = new Set(['fulfilment']);
/** The regions of each sample zone: where its inbox and ledger replicas live. */
const ZONE_REGIONS: Record<string, readonly string[]> = {
  global: REGIONS,
  transatlantic: ['us-east-1', 'eu-west-1'],
  eu: ['eu-west-1'],
};

describe.skipIf(skipSuite('exactly-once delivery', { regions: REGIONS }))(
  'exactly-once delivery across three regions',
  () => {
    let target: E2eTarget;
    const random = seededRandom(20261127);
    const workload = buildWorkload(EVENT_COUNT, `run${Date.now().toString(36)}`, random);
    const ids = workload.map(inboxId);
    const planned = workload.reduce((n, e) => n + e.expected.length, 0);
    const publishedAt = new Map<string, number>();
    const eventIds: string[] = [];
    const repeats = { sameRegion: 0, crossRegion: 0 };
    /** Copies beyond the first of a delivery, each a counted later attempt (set by the first test). */
    let repeatedCopies = 0;
    const homeOf = new Map(workload.map((e) => [inboxId(e), e.region]));
    const zoneRegionsOf = new Map(workload.map((e) => [inboxId(e), ZONE_REGIONS[zoneOf(e)] ?? []]));
    /**
     * The planned delivery a copy stands for: a `local` target's copy in another region of the event's
     * zone is its home delivery, failed over. With the ledger's rows, only where the row names the
     * region it went to. A copy outside the zone is never mapped: it stays a mismatch (residency).
     */
    const plannedOf = (copy: Delivery, rows?: readonly Record<string, unknown>[]): Delivery => {
      const [target = '', region = ''] = copy.to.split('#');
      const home = homeOf.get(copy.id);
      if (!LOCAL_TARGETS.has(target) || region === home) return copy;
      if (!zoneRegionsOf.get(copy.id)?.includes(region)) return copy;
      const row = rows?.find((r) => r.kind === 'delivery' && r.id === copy.id && r.to === `${target}#local`);
      return !rows || row?.region === region ? { ...copy, to: `${target}#${home}` } : copy;
    };
    /** The delivered ledger row of a planned delivery (`target#home` for a `local` one, wherever it went). */
    const rowOf = (rows: readonly Record<string, unknown>[], { id, to }: Delivery) =>
      rows.find((r) => {
        if (r.id !== id || r.status !== 'delivered') return false;
        const target = String(r.target);
        return LOCAL_TARGETS.has(target)
          ? r.to === `${target}#local` && `${target}#${homeOf.get(id)}` === to
          : `${target}#${String(r.region)}` === to;
      });

    /** Planned deliveries no copy stands for yet (a failed-over `local` copy stands for its home's). */
    const stillMissing = async (): Promise<Delivery[]> => {
      const seen = new Set((await target.deliveries(ids)).map((d) => plannedOf(d)).map((d) => `${d.id}|${d.to}`));
      return workload.flatMap((e) =>
        e.expected.filter((to) => !seen.has(`${inboxId(e)}|${to}`)).map((to) => ({ id: inboxId(e), to })),
      );
    };

    beforeAll(async () => {
      target = await openE2eTarget();
      if (target.kind === 'local') localHarness(target).rc.cloud.dynamodb.meter.reset();
      // Prepare: publish the workload per region; 10% is published twice, half of the repeats
      // into the same region at once and half into another allowed region after replication.
      const chosen = workload.filter(() => random() < REPEAT_SHARE * 1.05).slice(0, EVENT_COUNT * REPEAT_SHARE);
      const crossCandidates = chosen.filter((e) => otherAllowedRegion(e) !== undefined);
      const cross = new Set(crossCandidates.slice(0, chosen.length / 2));
      const same = chosen.filter((e) => !cross.has(e));
      await Promise.all(
        REGIONS.map(async (region) => {
          const mine = workload.filter((e) => e.region === region);
          const sameHere = same.filter((e) => e.region === region);
          for (let i = 0; i < mine.length; i += 10) {
            const batch = mine.slice(i, i + 10);
            const now = Date.now();
            batch.forEach((e) => publishedAt.set(e.key, now));
            const results = await target.publish(
              region,
              [...batch, ...sameHere.filter((e) => batch.includes(e))].map(toEntry),
            );
            eventIds.push(...results.flatMap((r) => (r.EventId ? [r.EventId] : [])));
            // A steady rate (10 events/s per region) below the local engine's capacity, so the
            // latency figures measure the pipeline rather than a queue behind a burst.
            await new Promise((resolve) => setTimeout(resolve, Math.max(0, now + PUBLISH_INTERVAL_MS - Date.now())));
          }
          repeats.sameRegion += sameHere.length;
        }),
      );
      // One after the other: by the time the first has replicated most others have too, and dozens of
      // concurrent pollers would load the engine that replication runs on.
      for (const event of cross) {
        const other = otherAllowedRegion(event) ?? event.region;
        // Replication on the one local engine lags most behind a burst on a loaded machine: wait long.
        try {
          await target.waitFor(
            `${event.key} replicated to ${other}`,
            () => target.inboxItem(other, zoneOf(event), inboxId(event)),
            240_000,
          );
        } catch (error) {
          if (target.kind !== 'local') throw error;
          const where = { key: event.key, zone: zoneOf(event), inboxId: inboxId(event) };
          throw new Error(`${(error as Error).message}\n${await diagnoseEvent(localHarness(target), where)}`);
        }
        const results = await target.publish(other, [toEntry(event)]);
        eventIds.push(...results.flatMap((r) => (r.EventId ? [r.EventId] : [])));
        repeats.crossRegion += 1;
      }
      try {
        // Every planned (event, target, region) present, not merely as many copies: a counted repeat
        // of one delivery must not stand in for another still on its way. Beside a CPU hog the pipeline
        // runs minutes behind (p50 119 s, max 220 s measured), and a send that times out there counts
        // against its breaker, whose cool-down doubles to 2 min: wait for that, it is not a loss.
        await target.waitFor(`${planned} deliveries`, async () => (await stillMissing()).length === 0, 300_000);
      } catch (error) {
        if (target.kind !== 'local') throw error;
        throw new Error(
          `${(error as Error).message}\n${await diagnoseLocal(localHarness(target), await stillMissing())}`,
        );
      }
      // The router confirms a delivery in the ledger after its send. A confirm lost on a loaded machine
      // leaves the row claimed until the claim expires (15 s locally) and the sweeper settles it, perhaps
      // with a counted repeat: wait for that too (seen in eu-west-1's replica), so the checks see the run at rest.
      let notDelivered: Record<string, unknown>[] = [];
      await target
        .waitFor(
          'every delivery row of the run delivered in eu-west-1',
          async () => {
            const rows = await target.ledger('eu-west-1', ids);
            notDelivered = rows.filter((row) => row.status !== 'delivered');
            return rows.length - notDelivered.length >= planned && notDelivered.length === 0;
          },
          180_000,
        )
        .catch(async (error: unknown) => {
          // Where those rows stand in their own regions, and what the routers counted (ClaimLost among them).
          const where =
            target.kind === 'local'
              ? await diagnoseLocal(
                  localHarness(target),
                  notDelivered.map((row) => ({ id: String(row.id), to: String(row.to) })),
                )
              : '';
          throw new Error(
            `${(error as Error).message}\n${JSON.stringify(notDelivered.slice(0, 10), null, 1)}\n${where}`,
          );
        });
      await target.settle();
    }, 900_000);

    afterAll(async () => {
      await target?.stop();
    });

    /** Each copy of the first mismatched events, with its attempt and when it reached its bus, for the failure message. */
    const copiesOf = (mismatches: readonly { key: string }[]): string => {
      const harness = localHarness(target);
      const keys = new Set(mismatches.map((m) => inboxId(workload.find((e) => e.key === m.key) as WorkloadEvent)));
      const copies = harness
        .delivered()
        .filter((e) => keys.has(keyOf(e) ?? ''))
        .map((e) => ({ at: e.receivedAt, to: `${e.bus}#${e.region}`, resources: e.envelope.resources }));
      return JSON.stringify({ copies, functions: harness.rc.status() }, null, 1);
    };

    it('delivers every planned (target, region) once, including events published twice; a copy more only as a counted later attempt', async () => {
      // A failed-over `local` copy stands for its planned delivery where its ledger row says it went there.
      const rows = await target.ledger('eu-west-1', ids);
      const deliveries = (await target.deliveries(ids)).map((d) => plannedOf(d, rows));
      const copies = new Map<string, Delivery[]>();
      for (const d of deliveries) copies.set(`${d.id}|${d.to}`, [...(copies.get(`${d.id}|${d.to}`) ?? []), d]);
      const mismatches = workload
        .map((e) => ({
          key: e.key,
          expected: [...e.expected].sort(),
          actual: [...new Set(deliveries.filter((d) => d.id === inboxId(e)).map((d) => d.to))].sort(),
        }))
        .filter((m) => JSON.stringify(m.expected) !== JSON.stringify(m.actual));
      expect(mismatches.slice(0, 5), target.kind === 'local' ? copiesOf(mismatches.slice(0, 5)) : '').toEqual([]);
      // A send whose outcome was unknown (a PutEvents timeout on a loaded machine) goes out again as
      // the next attempt: every extra copy carries its own attempt number, and its ledger row counts it.
      const repeated = [...copies].filter(([, list]) => list.length > 1);
      for (const [delivery, list] of repeated) {
        const row = rowOf(rows, list[0] as Delivery);
        const attempts = list.map((d) => d.attempt ?? 0);
        expect({ delivery, distinct: new Set(attempts).size }).toEqual({ delivery, distinct: list.length });
        expect({ delivery, counted: Number(row?.redeliveries ?? 0) > 0 }).toEqual({ delivery, counted: true });
        expect(Number(row?.attempts)).toBeGreaterThanOrEqual(Math.max(...attempts));
      }
      repeatedCopies = repeated.reduce((n, [, list]) => n + list.length - 1, 0);
      expect(deliveries.length).toBe(planned + repeatedCopies);
      // Repeats come from sends that outlive the client's 3 s timeout: on AWS a handful; on a loaded
      // two-core machine beside a CPU hog, CI has seen 59 of 1,182 (5.0 %). The bound catches a
      // router that repeats as a habit, not a slow machine.
      expect(repeatedCopies).toBeLessThan(planned * 0.1);
    });

    it('leaves every ledger entry of the run delivered and nothing of it quarantined', async () => {
      // eu-west-1 holds a replica of every zone's ledger.
      const ledger = await target.ledger('eu-west-1', ids);
      expect(ledger.filter((l) => l.status === 'delivered')).toHaveLength(planned);
      expect(ledger.filter((l) => l.status !== 'delivered')).toEqual([]);
      expect(eventIds).toHaveLength(EVENT_COUNT + EVENT_COUNT * REPEAT_SHARE);
      expect(await target.quarantined('us-east-1', eventIds)).toEqual([]);
    });

    it('keeps each zone inbox identical in every region of the zone, and absent elsewhere', async () => {
      const byRegion = await Promise.all(
        REGIONS.map(async (r) => new Map((await target.inbox(r, ids)).map((i) => [String(i.id), String(i.home)]))),
      );
      for (const event of workload) {
        const zoneRegions = ZONE_REGIONS[zoneOf(event)] ?? [];
        const homes = REGIONS.map((r, i) =>
          zoneRegions.includes(r)
            ? byRegion[i]?.get(inboxId(event))
            : byRegion[i]?.has(inboxId(event))
              ? 'LEAKED'
              : 'absent',
        );
        const expected = REGIONS.map((r) =>
          zoneRegions.includes(r) ? homes.find((h) => h !== 'absent' && h !== 'LEAKED') : 'absent',
        );
        expect({ key: event.key, homes }).toEqual({ key: event.key, homes: expected });
      }
    });

    it.skipIf(
      localOnly(
        'counted repeats and whole-table checks',
        "the local cloud's EMF counters, queues and a cloud only this run wrote to",
      ),
    )('drops and counts every repeat, and leaves nothing else in the tables, buses or queues', async () => {
      const harness = localHarness(target);
      const repeated = repeats.sameRegion + repeats.crossRegion;
      // The record of each drop: one row per dropped EventBridge event, naming the event it repeated
      // (replicas merged). An ingest that failed beside a CPU hog is retried by the rule seconds later:
      // wait for its row rather than reading once.
      const wanted = new Set(ids);
      const scanDrops = async () => {
        const found = new Map<string, Record<string, unknown>>();
        for (const [zone, regions] of Object.entries(ZONE_REGIONS))
          for (const region of regions)
            for (const row of await harness.scan(region, harness.tables.zone(zone, 'ledger')))
              if (row.kind === 'dropped' && wanted.has(String(row.id))) found.set(`${row.id}|${row.sk}`, row);
        return found;
      };
      let drops = await scanDrops();
      await harness
        .waitFor('a drop row for every repeat', async () => (drops = await scanDrops()).size >= repeated, 60_000)
        .catch(() => undefined);
      // Counters travel in each invocation's EMF log line, flushed after its write: wait until all 1,100 ingests are counted.
      const counted = (): number =>
        REGIONS.reduce(
          (n, r) => n + (harness.rc.status()[r]?.Ingested ?? 0) + (harness.rc.status()[r]?.DuplicateDropped ?? 0),
          0,
        );
      await harness
        .waitFor('every ingest to be counted', () => counted() >= EVENT_COUNT * (1 + REPEAT_SHARE), 10_000)
        .catch(() => undefined);
      const status = harness.rc.status();
      const dropped = REGIONS.reduce((n, r) => n + (status[r]?.DuplicateDropped ?? 0), 0);
      const ingested = REGIONS.reduce((n, r) => n + (status[r]?.Ingested ?? 0), 0);
      expect(repeated).toBe(EVENT_COUNT * REPEAT_SHARE);
      expect(repeats.crossRegion).toBeGreaterThan(0);
      const published = new Set(eventIds);
      const strays = [...drops.values()].filter(
        (d) =>
          !published.has(String(d.eventId)) || !published.has(String(d.keptEventId)) || d.eventId === d.keptEventId,
      );
      expect({ drops: drops.size, strays }).toEqual({ drops: repeated, strays: [] });
      // The counters: each ingest attempt counts what its own conditional write decided, so nothing
      // counts twice. An attempt abandoned at its deadline (the runtime's timeout, or middy's answer
      // just before it) may take its count with it: its retry finds the work done and counts nothing.
      const stats = REGIONS.map((r) => harness.rc.cloud.runtime.stats(r, 'ingest'));
      const abandoned = stats.reduce((n, s) => n + (s?.timeouts ?? 0) + (s?.errorTypes.TimeoutError ?? 0), 0);
      const ingests = functionDiagnostics(harness, REGIONS, ['ingest']);
      expect({ dropped, ingested, abandoned }, ingests).toEqual({
        dropped:
          abandoned === 0 ? repeated : expect.toSatisfy((n: number) => n <= repeated && n >= repeated - abandoned),
        ingested:
          abandoned === 0
            ? EVENT_COUNT
            : expect.toSatisfy((n: number) => n <= EVENT_COUNT && n >= EVENT_COUNT - abandoned),
        abandoned,
      });
      expect(harness.delivered().length).toBe(planned + repeatedCopies);
      // eu-west-1 holds a replica of every zone's ledger: every delivery row of the run is there.
      expect((await target.ledger('eu-west-1', ids)).filter((row) => row.status === 'delivered')).toHaveLength(planned);
      for (const region of REGIONS) expect(await harness.scan(region, harness.tables.quarantine)).toEqual([]);
      expect(harness.rc.cloud.queues.list()).toEqual([]);
    });

    it.skipIf(
      localOnly('the cost and latency figures', "the local cloud's DynamoDB metering and EventBridge inspector"),
    )('reports writes and PutEvents calls per delivered event, and end-to-end latency', () => {
      const harness = localHarness(target);
      const delivered = harness.delivered();
      // The event path's tables only: the health function's leases, heartbeats and probes are a fixed cost per region, not per event.
      const rows = harness.rc.cloud.dynamodb.meter
        .snapshot()
        .filter((r) => /-(inbox|ledger)$/.test(r.table) && !/probe/.test(r.operation));
      const writeRows = rows.filter((r) => WRITE_OPERATIONS.has(r.operation));
      const writes = writeRows.reduce((n, r) => n + r.requests, 0);
      // Refused writes (a conditional put that lost a race, a throttled call) cost WCU too, but how many
      // there are depends on how loaded the machine is: the bound below holds for the writes that landed.
      const landed = writes - writeRows.reduce((n, r) => n + r.errors, 0);
      const wcu = rows.reduce((n, r) => n + r.writeCapacityUnits, 0);
      const putEventsCalls = REGIONS.reduce((n, r) => n + harness.rc.tally.get(r, 'PutEventsCalls'), 0);
      const latencies = delivered.map(
        (e) => Date.parse(e.receivedAt) - (publishedAt.get(workloadKey(e, workload)) ?? Date.parse(e.receivedAt)),
      );
      const figures = {
        events: EVENT_COUNT,
        repeats,
        deliveries: delivered.length,
        dynamodbWritesPerDelivery: round(writes / delivered.length),
        landedWritesPerDelivery: round(landed / delivered.length),
        writeCapacityUnitsPerDelivery: round(wcu / delivered.length),
        putEventsCallsPerDelivery: round(putEventsCalls / delivered.length),
        latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies) },
        // How often a region let its lease lapse under load and held events for its next owner.
        leases: Object.fromEntries(
          REGIONS.map((r) => [r, LEASE_COUNTERS.map((name) => `${name} ${harness.rc.tally.get(r, name)}`).join(', ')]),
        ),
      };
      console.log(`e2e figures: ${JSON.stringify(figures)}`);
      mkdirSync('.local', { recursive: true });
      writeFileSync('.local/e2e-figures.json', `${JSON.stringify(figures, null, 2)}\n`);
      // Per event: inbox put, event row, event row settle; per delivery: claim and confirm (decision 011).
      // 3 writes per event and 2 per delivery is 4.5 at this workload, plus a drop row per repeat: an idle
      // machine lands 4.94. A backlog adds the sweeper's work on events the stream has not routed yet
      // (claims that expire behind a slow send, due times pushed back): beside a CPU hog, with deliveries
      // 90 s behind at the median, CI landed 6.02. The bound is for a write path that doubles, not for
      // how loaded the machine is; the cost goal itself is the bench's.
      expect(figures.landedWritesPerDelivery).toBeLessThanOrEqual(8);
      expect(figures.putEventsCallsPerDelivery).toBeLessThan(1);
    });
  },
);

const LEASE_COUNTERS = ['LeaseAcquired', 'LeaseLost', 'LeaseRenewUnanswered', 'NotOwned'] as const;

const round = (n: number): number => Math.round(n * 1000) / 1000;

const workloadKey = (event: { envelope: { resources: string[] } }, workload: readonly WorkloadEvent[]): string => {
  const id =
    event.envelope.resources.find((r) => r.startsWith('switchyard:key:'))?.slice('switchyard:key:'.length) ?? '';
  return workload.find((w) => inboxId(w) === id)?.key ?? id;
};
