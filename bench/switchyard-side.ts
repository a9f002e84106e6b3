import type { Catalog } from '../shared/domain/catalog';
import { REGIONS, type RouterHarness } from '../local/harness/router-harness';
import { inboxId, toEntry, type WorkloadEvent } from '../local/harness/workload';
import { zonesIn } from '../stages/lib/deployment-settings';
import { DeliveryCollector } from './delivery-collector';
import type { SideMeasurement } from './figures';
import { startProgress } from './progress';

const isSwitchyardTarget = (bus: string): boolean => !bus.endsWith('-ingress') && !bus.startsWith('baseline-');

const putEventsCalls = (harness: RouterHarness): number =>
  REGIONS.reduce((n, r) => n + harness.rc.tally.get(r, 'PutEventsCalls'), 0);

/** Ingest invocations the ingress rule had to retry, plus route invocations the stream mapping had to retry. */
const failedInvocations = (harness: RouterHarness): number =>
  harness.rc.cloud.eventBridge.inspector
    .listDeliveries()
    .filter((d) => d.bus.endsWith('-ingress'))
    .reduce((n, d) => n + d.failures, 0) +
  [...harness.rc.router.mappings.values()].flat().reduce((n, m) => n + m.stats().failures, 0);

/** The latest error of each ingress rule target that failed since `sinceMs` (the inspector keeps only the last one). */
const failureSamples = (harness: RouterHarness, sinceMs: number): string[] =>
  harness.rc.cloud.eventBridge.inspector
    .listDeliveries()
    .flatMap((d) =>
      d.bus.endsWith('-ingress') && d.lastError && Date.parse(d.lastError.at) >= sinceMs
        ? [`${d.region} ${d.targetId}: ${d.lastError.message}`]
        : [],
    );

/** Publish → `receivedAt` of each event's inbox item in its home region, read from the engine so the meter is not disturbed. */
const ingestLatencies = async (
  harness: RouterHarness,
  workload: readonly WorkloadEvent[],
  startedAtMs: ReadonlyMap<string, number>,
): Promise<number[]> => {
  const keyOfId = new Map(workload.map((e) => [inboxId(e), e.key]));
  const items = (
    await Promise.all(
      REGIONS.flatMap((r) =>
        zonesIn(harness.rc.router.config, r).map(async (zone) =>
          (await harness.scan(r, harness.tables.zone(zone, 'inbox'))).filter((i) => i.home === r),
        ),
      ),
    )
  ).flat();
  return items.flatMap((i) => {
    const started = startedAtMs.get(keyOfId.get(String(i.id)) ?? '');
    return started === undefined ? [] : [Date.parse(String(i.receivedAt)) - started];
  });
};

const replicatedWrites = (harness: RouterHarness): number =>
  harness.rc.router.replicator.status().pairs.reduce((n, p) => n + p.applied, 0);

/** Publishes 10 entries per PutEvents per region, regions in parallel, as the e2e suite's producer does; stamps each event just before its call. */
const publishAll = async (
  harness: RouterHarness,
  workload: readonly WorkloadEvent[],
  startedAt: Map<string, number>,
): Promise<void> => {
  await Promise.all(
    REGIONS.map(async (region) => {
      const mine = workload.filter((e) => e.region === region);
      for (let i = 0; i < mine.length; i += 10) {
        const batch = mine.slice(i, i + 10);
        const now = Date.now();
        for (const e of batch) startedAt.set(e.key, now);
        await harness.publish(region, batch.map(toEntry));
      }
    }),
  );
};

/**
 * Runs a workload through the real router on the local cloud: producer PutEvents → ingress rule →
 * ingest → inbox → stream → route → target buses. Counters are read as deltas, and the meter is
 * reset first, so an earlier phase (the warm-up) never leaks into the figures.
 */
export const runSwitchyard = async (
  harness: RouterHarness,
  catalog: Catalog,
  workload: readonly WorkloadEvent[],
  label: string,
  timeoutMs: number,
): Promise<SideMeasurement> => {
  const expectedDeliveries = workload.reduce((n, e) => n + e.expected.length, 0);
  const collector = new DeliveryCollector(
    harness.rc.cloud.eventBridge.inspector,
    catalog,
    new Set(workload.map((e) => e.key)),
    isSwitchyardTarget,
  );
  const startedAtMs = new Map<string, number>();
  const phaseStart = Date.now();
  const before = {
    calls: putEventsCalls(harness),
    replicated: replicatedWrites(harness),
    failed: failedInvocations(harness),
  };
  harness.rc.cloud.dynamodb.meter.reset();
  let settling = false;
  const stop = startProgress(
    label,
    () =>
      `published ${startedAtMs.size}/${workload.length}, delivered ${collector.count}/${expectedDeliveries}${settling ? ', waiting for confirms and replication' : ''}`,
  );
  try {
    await publishAll(harness, workload, startedAtMs);
    await collector.until(expectedDeliveries, timeoutMs);
    settling = true;
    // Confirms, metrics flushes and replication land after the last arrival: wait for them before reading counters.
    await harness.settle();
  } finally {
    stop();
    collector.stop();
  }
  const tablePrefix = `switchyard-${harness.stage}-`;
  return {
    events: workload.length,
    expectedDeliveries,
    arrivals: collector.arrivals,
    startedAtMs,
    meterRows: harness.rc.cloud.dynamodb.meter.snapshot().filter((r) => r.table.startsWith(tablePrefix)),
    putEventsCalls: putEventsCalls(harness) - before.calls,
    replicaWrites: replicatedWrites(harness) - before.replicated,
    failedInvocations: failedInvocations(harness) - before.failed,
    failureSamples: failureSamples(harness, phaseStart),
    ingestLatenciesMs: await ingestLatencies(harness, workload, startedAtMs),
  };
};
