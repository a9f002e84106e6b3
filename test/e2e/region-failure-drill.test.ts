import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { REGIONS, RouterHarness } from '../../local/harness/router-harness';
import { waitFor } from '../../local/harness/wait-for';
import {
  deliveryRows,
  ledgerRepeats,
  repeatCopies,
  total,
  unmarkedRedeliveries,
  unrecordedRepeats,
} from './support/delivery-audit';
import { waitForCompletion } from './support/drill-completion';
import { elapsed, recordDrillFigures } from './support/drill-figures';
import { skipSuite } from './support/e2e-target';
import { functionDiagnostics } from './support/function-diagnostics';
import { outageFigures, rpoFigures } from './support/outage-figures';
import { OutageWatch, waitForHandback } from './support/ownership-watch';
import {
  bringRegionBack,
  healRegion,
  partitionRegion,
  takeRegionDark,
  replicaAtOutage,
  waitForReplicationFrozen,
} from './support/region-outage';
import { lastOldEpochClaims, staleEpochClaims, staleEpochCopies, type FencedLease } from './support/stale-epoch';
import { residencyLeaks } from './support/residency-audit';
import { SteadyWorkload } from './support/steady-workload';

/** How long us-east-1 stays dark. */
export const DARK_MS = 60_000;
/** How long us-east-1 stays partitioned from its peers while alive. */
export const PARTITION_MS = 30_000;
/** The local stage's skew margin: a lease ends this long after its holder's validity. */
const MARGIN_MS = 2_000;
/** The local stage's health tick. */
const TICK_MS = 2_000;

/**
 * What the drill holds to the clock, and why only this: the order of events, with the outage as the
 * yardstick, not a speed. The region is judged failed after it went dark, its homes are taken over
 * while it is still dark, and the successor delivers their events while it holds them (before the
 * handback); waiting for completion then proves nothing was lost. How fast is the machine's: on an
 * idle one the RTO is about 11 s, beside a CPU hog and another drill CI has seen 108 s. The figures
 * are recorded for reading; speed goals live in the bench.
 */
const DEAD = 'us-east-1';
const SUCCESSOR = 'eu-west-1';
const DEAD_ZONES = ['global', 'transatlantic'];
const TARGET_BUSES = ['fulfilment', 'analytics', 'ledger-sync'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

// Region outages, partitions, replication lag and the inspector's record are the local cloud's; AWS has no switch for them.
const LOCAL_DRILL = 'region outages, partitions and replication lag under test control';

describe.skipIf(skipSuite('region failure drill', { localOnly: LOCAL_DRILL }))('region failure drill', () => {
  let harness: RouterHarness;
  const run = `rf${Date.now().toString(36)}`;

  beforeAll(async () => {
    harness = await RouterHarness.start();
  }, 180_000);

  afterAll(async () => {
    await harness?.stop();
  });

  it('delivers every accepted event when us-east-1 goes dark and returns, keeps EU data in its zone, and counts every repeat', async () => {
    // Prepare: a steady mixed workload. In its last seconds us-east-1's target buses slow down (it dies
    // with sends in flight and events not yet routed) and replication lags (it dies with writes unreplicated).
    const workload = new SteadyWorkload(harness, `${run}d`, 4);
    workload.start();
    // A failed wait or assertion must not leave the outage behind for the partition drill.
    onTestFinished(async () => {
      await workload.stop();
      harness.rc.router.replicator.setLag(50);
      bringRegionBack(harness, DEAD);
    });
    await sleep(8_000);
    for (const bus of TARGET_BUSES) harness.rc.cloud.faults.set('events', DEAD, { slowMs: 3_000, bus });
    await sleep(3_500);
    harness.rc.router.replicator.setLag(1_500);
    await sleep(1_500);

    // Act: dark for DARK_MS while producers keep publishing (us-east-1's fail over), then back.
    const outageAt = Date.now();
    takeRegionDark(harness, DEAD);
    harness.rc.router.replicator.setLag(50);
    const watch = new OutageWatch(harness, DEAD, SUCCESSOR);
    await waitForReplicationFrozen(harness, DEAD);
    const replica = await replicaAtOutage(harness, DEAD, SUCCESSOR, DEAD_ZONES, outageAt);
    await sleep(outageAt + DARK_MS - Date.now());
    const seen = await watch.stop();
    const recoveredAt = Date.now();
    bringRegionBack(harness, DEAD);
    await sleep(10_000);
    await workload.stop();
    const handbackAt = await waitForHandback(harness, DEAD, DEAD_ZONES, 120_000);
    const done = await waitForCompletion(harness, workload.published, 150_000);

    // Assess: nothing lost, nothing delivered where it was not planned, EU data never outside eu-west-1.
    const lost = done.audits.filter((a) => a.missing.length > 0);
    expect(lost.map((a) => ({ key: a.event.key, missing: a.missing }))).toEqual([]);
    expect(done.audits.filter((a) => a.unexpected.length > 0).map((a) => a.unexpected)).toEqual([]);
    expect(done.unaccounted.map((p) => p.event.key)).toEqual([]);
    const euKeys = new RegExp(`${run}dt\\d+-c-\\d+`);
    expect(await residencyLeaks(harness, ['us-east-1', 'ap-southeast-2'], euKeys)).toEqual([]);
    const euCopies = done.audits.filter((a) => a.event.source.includes('.eu.')).flatMap((a) => a.copies);
    expect(euCopies.filter((c) => !c.to.endsWith('#eu-west-1'))).toEqual([]);
    // Every repeat a consumer saw is on record in the ledger, and nothing was parked.
    const rows = await deliveryRows(harness, 'eu-west-1', new Set(done.accepted.map((p) => p.id)));
    const seenTwice = repeatCopies(done.audits);
    const recorded = ledgerRepeats(rows);
    expect(unrecordedRepeats(seenTwice, recorded)).toEqual([]);
    expect(unmarkedRedeliveries(rows, done.audits)).toEqual([]);
    const repeats = { copiesSeenTwice: total(seenTwice), recordedInLedger: total(recorded) };
    expect(rows.filter((r) => r.status === 'parked')).toEqual([]);
    const figures = outageFigures({
      dead: DEAD,
      successor: SUCCESSOR,
      outageAt,
      recoveredAt,
      handbackAt,
      seen,
      audits: done.audits,
      rpo: new Set(replica.unreplicated.keys()),
    });
    recordDrillFigures('region-dark', {
      ...figures,
      darkMs: DARK_MS,
      takeoverEpochs: Object.fromEntries(seen.takeovers),
      verdictEvidence: Object.fromEntries(
        Object.entries(seen.verdictEvidence ?? {}).map(([o, e]) => [
          o,
          { sinceMs: e.since - outageAt, history: e.history },
        ]),
      ),
      rpo: rpoFigures(done.audits, replica, outageAt),
      repeats,
      published: workload.published.length,
      accepted: done.accepted.length,
      refusedPublishes: workload.refused.length,
      producerFailovers: workload.published.filter((p) => p.failedOver).length,
      deadLetteredBeforeIngest: done.deadLettered.map((p) => ({
        key: p.event.key,
        publishedBeforeOutageMs: outageAt - p.at,
      })),
      deadLetterReasons: done.deadLetterReasons,
      deliveries: done.audits.reduce((n, a) => n + a.copies.length, 0),
      lost: lost.length,
    });
    const why = functionDiagnostics(harness, REGIONS);
    // Judged failed after it went dark, not before (a slow target bus must not fail a region); a
    // judgement is stamped with the start of its tick, up to one tick before the evidence was read.
    expect(figures.detectionMs, why).not.toBeNull();
    expect(figures.detectionMs, why).toBeGreaterThan(-TICK_MS);
    const returnedMs = recoveredAt - outageAt;
    expect(figures.takeoverMs, why).not.toBeNull();
    expect(figures.takeoverMs, why).toBeLessThan(returnedMs);
    expect(figures.firstSuccessorDeliveryMs, why).not.toBeNull();
    expect(figures.firstSuccessorDeliveryMs, why).toBeLessThan(returnedMs + (figures.handbackMs ?? Infinity));
    expect(figures.rtoMs, why).not.toBeNull();
    expect(figures.fullRecoveryMs, why).not.toBeNull();
  }, 420_000);

  it('stops a partitioned but living us-east-1 routing before its lease ends, and nothing it sends after the takeover carries its old epoch', async () => {
    // Prepare: us-east-1 owns its homes again (the dark drill handed them back); a steady workload runs.
    await waitForHandback(harness, DEAD, DEAD_ZONES, 120_000);
    const workload = new SteadyWorkload(harness, `${run}p`, 4, 20260303);
    workload.start();
    onTestFinished(async () => {
      await workload.stop();
      healRegion(harness, DEAD);
    });
    await sleep(6_000);

    // Act: us-east-1 is cut off from both peers but keeps running and accepting its producers' events.
    const cutAt = Date.now();
    partitionRegion(harness, DEAD);
    const watch = new OutageWatch(harness, DEAD, SUCCESSOR);
    await waitFor('the successor to take over', () => watch.seen.takeovers.size === DEAD_ZONES.length, 90_000, 500);
    await sleep(cutAt + PARTITION_MS - Date.now());
    const seen = await watch.stop();
    const healedAt = Date.now();
    healRegion(harness, DEAD);
    await sleep(8_000);
    await workload.stop();
    const handbackAt = await waitForHandback(harness, DEAD, DEAD_ZONES, 120_000);
    const done = await waitForCompletion(harness, workload.published, 150_000);

    // Assess: no claim or copy under the old epoch after the takeover, and none after the old lease ended.
    const leases: FencedLease[] = DEAD_ZONES.map((zone) => ({
      zone,
      epoch: seen.deadValidUntil.get(zone)?.epoch ?? NaN,
      validUntil: seen.deadValidUntil.get(zone)?.validUntil ?? NaN,
      takeoverAt: seen.takeovers.get(zone)?.at ?? NaN,
    }));
    expect(leases.every((l) => l.takeoverAt > l.validUntil)).toBe(true);
    expect(await staleEpochClaims(harness, DEAD, leases)).toEqual([]);
    expect(staleEpochCopies(done.audits, DEAD, leases)).toEqual([]);
    const lastClaims = await lastOldEpochClaims(harness, DEAD, leases);
    for (const lease of leases) expect(lastClaims.get(lease.zone)).toBeLessThan(lease.validUntil + MARGIN_MS);
    expect(done.audits.filter((a) => a.missing.length > 0).map((a) => a.event.key)).toEqual([]);
    expect(done.audits.filter((a) => a.unexpected.length > 0).map((a) => a.unexpected)).toEqual([]);
    expect(done.unaccounted.map((p) => p.event.key)).toEqual([]);
    const stranded = done.audits.filter(
      (a) => a.event.region === DEAD && a.publishedAt >= cutAt && a.publishedAt < healedAt,
    );
    recordDrillFigures('region-partitioned', {
      partitionMs: PARTITION_MS,
      detectionMs: elapsed(cutAt, seen.verdictFailedAt),
      takeoverMs: elapsed(cutAt, Math.max(...leases.map((l) => l.takeoverAt))),
      stoppedBeforeLeaseEndMs: Object.fromEntries(
        leases.map((l) => [l.zone, Math.round(l.validUntil + MARGIN_MS - (lastClaims.get(l.zone) ?? 0))]),
      ),
      leases,
      acceptedWhilePartitioned: stranded.length,
      deliveredAfterHealMs: elapsed(healedAt, Math.max(0, ...stranded.map((a) => a.completedAt ?? Infinity))),
      handbackMs: elapsed(healedAt, handbackAt),
      staleEpochClaims: 0,
      lost: 0,
    });
  }, 300_000);
});
