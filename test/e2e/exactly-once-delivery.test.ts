import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyOf, REGIONS, RouterHarness } from './support/router-harness';
import { buildWorkload, inboxId, otherAllowedRegion, percentile, seededRandom, toEntry, type WorkloadEvent } from './support/workload';

const EVENT_COUNT = 1000;
const REPEAT_SHARE = 0.1;
const PUBLISH_INTERVAL_MS = 1_000;
const WRITE_OPERATIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

describe('exactly-once delivery across three regions', () => {
  let harness: RouterHarness;
  const random = seededRandom(20261127);
  const workload = buildWorkload(EVENT_COUNT, `run${Date.now().toString(36)}`, random);
  const publishedAt = new Map<string, number>();
  const repeats = { sameRegion: 0, crossRegion: 0 };

  beforeAll(async () => {
    harness = await RouterHarness.start();
    harness.rc.cloud.dynamodb.meter.reset();
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
          await harness.publish(region, [...batch, ...sameHere.filter((e) => batch.includes(e))].map(toEntry));
          // A steady rate (10 events/s per region) below the local engine's capacity, so the
          // latency figures measure the pipeline rather than a queue behind a burst.
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, now + PUBLISH_INTERVAL_MS - Date.now())));
        }
        repeats.sameRegion += sameHere.length;
      }),
    );
    await Promise.all(
      [...cross].map(async (event) => {
        const other = otherAllowedRegion(event) ?? event.region;
        await harness.waitFor(`${event.key} replicated to ${other}`, () => harness.get(other, 'inbox', { id: inboxId(event) }));
        await harness.publish(other, [toEntry(event)]);
        repeats.crossRegion += 1;
      }),
    );
    const expectedDeliveries = workload.reduce((n, e) => n + e.expected.length, 0);
    await harness.waitFor(`${expectedDeliveries} deliveries`, () => harness.delivered().length >= expectedDeliveries, 120_000);
    await harness.settle();
  }, 240_000);

  afterAll(async () => {
    await harness?.stop();
  });

  it('delivers every planned (target, region) exactly once, including events published twice', () => {
    const byKey = new Map<string, string[]>();
    for (const event of harness.delivered()) {
      const key = keyOf(event) ?? 'missing-key';
      byKey.set(key, [...(byKey.get(key) ?? []), `${event.bus}#${event.region}`]);
    }
    const mismatches = workload
      .map((e) => ({ key: e.key, expected: [...e.expected].sort(), actual: [...(byKey.get(inboxId(e)) ?? [])].sort() }))
      .filter((m) => JSON.stringify(m.expected) !== JSON.stringify(m.actual));
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(harness.delivered().length).toBe(workload.reduce((n, e) => n + e.expected.length, 0));
  });

  it('drops and counts every repeat, in the same region and across regions', () => {
    const status = harness.rc.status();
    const dropped = REGIONS.reduce((n, r) => n + (status[r]?.DuplicateDropped ?? 0), 0);
    const ingested = REGIONS.reduce((n, r) => n + (status[r]?.Ingested ?? 0), 0);
    expect(repeats.sameRegion + repeats.crossRegion).toBe(EVENT_COUNT * REPEAT_SHARE);
    expect(repeats.crossRegion).toBeGreaterThan(0);
    expect(dropped).toBe(repeats.sameRegion + repeats.crossRegion);
    expect(ingested).toBe(EVENT_COUNT);
  });

  it('leaves nothing parked, lost or quarantined, and every ledger entry delivered', async () => {
    const ledger = await harness.scan('us-east-1', 'ledger');
    const planned = workload.reduce((n, e) => n + e.expected.length, 0);
    expect(ledger.filter((l) => l.status === 'delivered')).toHaveLength(planned);
    expect(ledger.filter((l) => l.status !== 'delivered')).toEqual([]);
    expect(await harness.scan('us-east-1', 'quarantine')).toEqual([]);
    expect(harness.rc.cloud.queues.list()).toEqual([]);
  });

  it('keeps the inbox identical in every region (replicated, converged)', async () => {
    const ids = await Promise.all(REGIONS.map(async (r) => (await harness.scan(r, 'inbox')).map((i) => `${String(i.id)}|${String(i.home)}`).sort()));
    expect(ids[0]).toHaveLength(EVENT_COUNT);
    expect(ids[1]).toEqual(ids[0]);
    expect(ids[2]).toEqual(ids[0]);
  });

  it('reports writes and PutEvents calls per delivered event, and end-to-end latency', () => {
    const delivered = harness.delivered();
    const rows = harness.rc.cloud.dynamodb.meter.snapshot();
    const writes = rows.filter((r) => WRITE_OPERATIONS.has(r.operation)).reduce((n, r) => n + r.requests, 0);
    const wcu = rows.reduce((n, r) => n + r.writeCapacityUnits, 0);
    const putEventsCalls = REGIONS.reduce((n, r) => n + harness.rc.tally.get(r, 'PutEventsCalls'), 0);
    const latencies = delivered.map((e) => Date.parse(e.receivedAt) - (publishedAt.get(workloadKey(e, workload)) ?? Date.parse(e.receivedAt)));
    const figures = {
      events: EVENT_COUNT,
      repeats,
      deliveries: delivered.length,
      dynamodbWritesPerDelivery: round(writes / delivered.length),
      writeCapacityUnitsPerDelivery: round(wcu / delivered.length),
      putEventsCallsPerDelivery: round(putEventsCalls / delivered.length),
      latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies) },
    };
    console.log(`e2e figures: ${JSON.stringify(figures)}`);
    mkdirSync('.local', { recursive: true });
    writeFileSync('.local/e2e-figures.json', `${JSON.stringify(figures, null, 2)}\n`);
    // The claim + confirm per delivery and one inbox put per event bound the writes from above.
    expect(figures.dynamodbWritesPerDelivery).toBeLessThanOrEqual(3);
    expect(figures.putEventsCallsPerDelivery).toBeLessThan(1);
  });
});

const round = (n: number): number => Math.round(n * 1000) / 1000;

const workloadKey = (event: { envelope: { resources: string[] } }, workload: readonly WorkloadEvent[]): string => {
  const key = event.envelope.resources.find((r) => r.startsWith('switchyard:key:'))?.split('#')[1] ?? '';
  return workload.find((w) => w.key === key)?.key ?? key;
};
