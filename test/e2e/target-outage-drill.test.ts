import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RouterHarness } from '../../local/harness/router-harness';
import { deliveryRows } from './support/delivery-audit';
import { waitForCompletion } from './support/drill-completion';
import { recordDrillFigures } from './support/drill-figures';
import { skipSuite } from './support/e2e-target';
import { SteadyWorkload } from './support/steady-workload';
import { affectedBy, latencies } from './support/target-outage';

/** How long the target buses stay down (the five minutes). */
export const TARGET_OUTAGE_MS = 5 * 60_000;

/**
 * What the drill holds to a clock, and why only this. "Never stalls the shard" is a property of the
 * outage, not a speed: a stalled shard holds every delivery behind the down buses until they come
 * back, so each unaffected delivery of an event published in the outage's first minute must reach
 * its bus before then, four minutes later at the least (a loaded two-core machine beside a CPU hog
 * has shown unaffected tails of 143 s: a window ending at the outage's half left it 7 s). A waiting copy is next tried when its breaker's cool-down ends, and five
 * minutes of failed probes take the cool-down to its 2-minute cap: catching up may take that long,
 * plus a sweep. Latency figures are recorded for reading; speed goals live in the bench.
 */
export const TARGET_THRESHOLDS = {
  earlyWindowMs: 60_000,
  catchUpMs: 240_000,
} as const;

const REGION = 'us-east-1';
// The sample catalog reaches fulfilment only in `local` mode and ledger-sync only in `fanout`: with
// both down in one healthy region, orders' fulfilment fails over and payments' copies there wait.
const DOWN_BUSES = ['fulfilment', 'ledger-sync'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

const LOCAL_DRILL = 'bus faults in one region under test control';

describe.skipIf(skipSuite('target outage drill', { localOnly: LOCAL_DRILL }))('target bus outage drill', () => {
  let harness: RouterHarness;
  const run = `to${Date.now().toString(36)}`;

  beforeAll(async () => {
    harness = await RouterHarness.start();
  }, 180_000);

  afterAll(async () => {
    await harness?.stop();
  });

  it(
    'fails local deliveries over, holds fanout copies until the buses return, parks and loses nothing, and never stalls the shard',
    async () => {
      // Prepare: a steady mixed workload in every region.
      const workload = new SteadyWorkload(harness, run, 3, 20260202);
      workload.start();
      await sleep(5_000);

      // Act: fulfilment and ledger-sync in us-east-1 answer 503 while the region itself stays healthy.
      const downAt = Date.now();
      for (const bus of DOWN_BUSES) harness.rc.cloud.faults.set('events', REGION, { down: '503', bus });
      await sleep(downAt + TARGET_OUTAGE_MS - Date.now());
      const upAt = Date.now();
      harness.rc.cloud.faults.clear('events', REGION);
      await sleep(5_000);
      await workload.stop();
      const done = await waitForCompletion(harness, workload.published, 240_000);

      // Assess: nothing lost, nothing where it was not planned, nothing parked.
      expect(done.audits.filter((a) => a.missing.length > 0).map((a) => a.event.key)).toEqual([]);
      expect(done.audits.filter((a) => a.unexpected.length > 0).map((a) => a.unexpected)).toEqual([]);
      expect(done.unaccounted.map((p) => p.event.key)).toEqual([]);
      const rows = await deliveryRows(harness, 'eu-west-1', new Set(done.accepted.map((p) => p.id)));
      expect(rows.filter((r) => r.status === 'parked')).toEqual([]);
      const during = done.audits.filter((a) => a.publishedAt >= downAt && a.publishedAt < upAt);
      const { failover, waiting, unaffected } = affectedBy(during, REGION, DOWN_BUSES);
      // Local deliveries failed over along fulfilment's order (eu-west-1 next, unless a router then
      // judged it unusable) while the bus was down; the zone check above keeps them in the zone.
      // Held for orders of the outage's first minute, as the stall check below: an order published
      // later may be routed after the bus is back (a loaded machine lags by minutes), or meet a
      // half-open breaker's probe, and then go to fulfilment in its own region, as it should.
      const settledBeforeEnd = failover.filter((d) => d.audit.publishedAt < downAt + TARGET_THRESHOLDS.earlyWindowMs);
      expect(settledBeforeEnd.length).toBeGreaterThan(0);
      expect(
        settledBeforeEnd.filter((d) => !(d.copy && d.copy.to !== `fulfilment#${REGION}` && d.copy.at < upAt)),
      ).toEqual([]);
      // Fanout copies for the down buses waited in place and arrived after they came back.
      expect(waiting.length).toBeGreaterThan(0);
      expect(waiting.filter((d) => !(d.copy && d.copy.to === `ledger-sync#${REGION}` && d.copy.at >= upAt))).toEqual(
        [],
      );
      const figures = {
        outageMs: TARGET_OUTAGE_MS,
        thresholds: TARGET_THRESHOLDS,
        published: workload.published.length,
        accepted: done.accepted.length,
        unaffected: latencies(unaffected),
        // The same inbox shards as the affected deliveries: us-east-1's own events.
        unaffectedSameShards: latencies(unaffected.filter((d) => d.audit.event.region === REGION)),
        failover: latencies(failover),
        waitingCopies: waiting.length,
        catchUpMs: Math.max(0, ...waiting.map((d) => (d.copy?.at ?? Infinity) - upAt)),
        parked: 0,
        lost: 0,
      };
      recordDrillFigures('target-outage', figures);
      // No stall: every unaffected delivery of the outage's first minute arrived while the buses were still down.
      const early = unaffected.filter((d) => d.audit.publishedAt < downAt + TARGET_THRESHOLDS.earlyWindowMs);
      expect(early.length).toBeGreaterThan(0);
      expect(early.filter((d) => d.audit.event.region === REGION).length).toBeGreaterThan(0);
      expect(
        early.filter((d) => !(d.copy && d.copy.at < upAt)).map((d) => `${d.audit.event.key} ${d.planned}`),
      ).toEqual([]);
      expect(figures.catchUpMs).toBeLessThanOrEqual(TARGET_THRESHOLDS.catchUpMs);
    },
    TARGET_OUTAGE_MS + 9 * 60_000,
  );
});
